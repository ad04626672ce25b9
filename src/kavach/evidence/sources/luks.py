"""LUKS1 and LUKS2 volumes (Linux disk encryption), read with the passphrase or key
file the unit obtained.

Kavach reads the on-disk format itself (the LUKS1 specification 1.2.3 and the
LUKS2 on-disk format document, both published with cryptsetup): the header names
the cipher and the key slots; a key slot holds the volume key, encrypted with a key
derived from the passphrase (PBKDF2, Argon2i or Argon2id) and spread over
thousands of stripes by the anti-forensic splitter; the header's digest says
whether the key found is the right one. The data is then decrypted as it is
read, a whole read at a time (``sector_ciphers``) — nothing clear is written
anywhere.

libluksde, the libyal binding, reads LUKS1 only and did not unlock cryptsetup's
LUKS1 sample (decision 0009); the format is small enough to read here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from kavach.evidence.sources.image_formats import ImageError, Medium
from kavach.evidence.sources.sector_ciphers import SECTOR, Sectors

LUKS_MAGIC = b"LUKS\xba\xbe"
LUKS2_SECOND_MAGIC = b"SKUL\xba\xbe"  # the LUKS2 header's second copy
LUKS1_HEADER = 592
_ACTIVE = 0x00AC71F3  # a LUKS1 key slot in use

# Bounds a header must keep before Kavach spends time on it: a damaged or hostile
# header must not make a scan derive keys for hours or allocate gigabytes.
MAX_KEY_BYTES = 64  # 512 bits, AES-256-XTS
MAX_STRIPES = 64_000  # cryptsetup writes 4,000
MAX_PBKDF2_ITERATIONS = 50_000_000
MAX_ARGON2_MEMORY_KIB = 4 * 1024 * 1024  # cryptsetup's own ceiling, 4 GiB
MAX_ARGON2_TIME = 1_000
MAX_JSON = 4 * 1024 * 1024


class LuksError(ImageError):
    """A LUKS header Kavach cannot use; the message names the field."""


def _hash(name: str, field: str) -> str:
    name = name.lower()
    if name not in hashlib.algorithms_available:
        raise LuksError(f"{field}: hash {name!r} is not available here")
    return name


# --- the anti-forensic splitter ----------------------------------------------------


def af_merge(material: bytes, key_bytes: int, stripes: int, hash_name: str) -> bytes:
    """The key the splitter spread over ``stripes`` stripes of ``material``."""
    digest = bytes(key_bytes)
    for stripe in range(stripes - 1):
        piece = material[stripe * key_bytes : (stripe + 1) * key_bytes]
        digest = _diffuse(_xor(digest, piece), hash_name)
    last = material[(stripes - 1) * key_bytes : stripes * key_bytes]
    return _xor(digest, last)


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def _diffuse(block: bytes, hash_name: str) -> bytes:
    size = hashlib.new(hash_name).digest_size
    out = bytearray()
    for index in range(0, len(block), size):
        chunk = block[index : index + size]
        counter = (index // size).to_bytes(4, "big")
        out += hashlib.new(hash_name, counter + chunk).digest()[: len(chunk)]
    return bytes(out)


# --- key slots -----------------------------------------------------------------


@dataclass(frozen=True)
class Kdf:
    """How a passphrase becomes a key slot's key."""

    kind: str  # "pbkdf2", "argon2i", "argon2id"
    salt: bytes
    hash_name: str = ""  # PBKDF2
    iterations: int = 0  # PBKDF2
    time: int = 0  # Argon2
    memory_kib: int = 0  # Argon2
    lanes: int = 1  # Argon2

    def derive(self, secret: bytes, length: int) -> bytes:
        if self.kind == "pbkdf2":
            return hashlib.pbkdf2_hmac(
                self.hash_name, secret, self.salt, self.iterations, length
            )
        from argon2.exceptions import HashingError
        from argon2.low_level import Type, hash_secret_raw

        try:
            return hash_secret_raw(
                secret,
                self.salt,
                time_cost=self.time,
                memory_cost=self.memory_kib,
                parallelism=self.lanes,
                hash_len=length,
                type=Type.ID if self.kind == "argon2id" else Type.I,
            )
        except HashingError as exc:  # a salt, memory or length Argon2 refuses
            raise ValueError(f"Argon2: {exc}") from None


@dataclass(frozen=True)
class KeySlot:
    number: int
    kdf: Kdf
    key_bytes: int  # the volume key's length
    stripes: int
    af_hash: str
    area_offset: int  # bytes from the volume's start
    area_cipher: Sectors
    area_key_bytes: int  # the slot key's length (LUKS1: the volume key's)

    def open(self, read: Any, secret: bytes) -> bytes:
        """The candidate volume key this slot yields for ``secret``."""
        length = self.key_bytes * self.stripes
        padded = -(-length // SECTOR) * SECTOR
        sealed = read(self.area_offset, padded)
        if len(sealed) < padded:
            raise LuksError(
                f"key slot {self.number}: its key material at {self.area_offset:,} "
                "lies past the end of the volume"
            )
        try:
            slot_key = self.kdf.derive(secret, self.area_key_bytes)
            material = self.area_cipher.decrypt(slot_key, sealed, 0)
        except (ValueError, ImportError) as exc:  # a size or cost no cipher takes
            raise LuksError(f"key slot {self.number} not usable: {exc}") from None
        return af_merge(material[:length], self.key_bytes, self.stripes, self.af_hash)


@dataclass(frozen=True)
class Digest:
    """What the right volume key hashes to (PBKDF2 of it)."""

    hash_name: str
    iterations: int
    salt: bytes
    value: bytes

    def matches(self, key: bytes) -> bool:
        derived = hashlib.pbkdf2_hmac(
            self.hash_name, key, self.salt, self.iterations, len(self.value)
        )
        return derived == self.value


@dataclass(frozen=True)
class LuksHeader:
    """What Kavach needs of a LUKS header to unlock the volume and read its data."""

    version: int
    slots: tuple[KeySlot, ...]
    digests: tuple[tuple[Digest, frozenset[int]], ...]  # (digest, its slots)
    data_offset: int
    data_size: int  # bytes of clear data
    data_cipher: Sectors
    uuid: str

    def unlock(self, read: Any, secret: bytes) -> bytes | None:
        """The volume key ``secret`` opens, or None (no slot takes it).

        A damaged key slot is passed over (another may hold the key); when every
        slot is damaged, ``LuksError`` says why the first one is.
        """
        damaged = []
        for slot in self.slots:
            try:
                key = slot.open(read, secret)
            except LuksError as exc:
                damaged.append(str(exc))
                continue
            for digest, slots in self.digests:
                if slot.number in slots and digest.matches(key):
                    return key
        if damaged and len(damaged) == len(self.slots):
            raise LuksError(damaged[0])
        return None


def read_header(read: Any, size: int) -> LuksHeader:
    """The header of the LUKS volume ``read(offset, count)`` serves (``size`` bytes)."""
    head = read(0, 4096)
    if not head.startswith(LUKS_MAGIC):
        raise LuksError("no LUKS header (magic) at the start of the volume")
    version = int.from_bytes(head[6:8], "big")
    if version == 1:
        return _luks1(head, size)
    if version == 2:
        return _luks2(read, size)
    raise LuksError(f"LUKS version {version} is not known")


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("ascii", "replace")


def _bounded(value: int, ceiling: int, field: str) -> int:
    if not 0 < value <= ceiling:
        raise LuksError(f"{field} is {value:,} (allowed 1 to {ceiling:,})")
    return value


def _luks1(head: bytes, size: int) -> LuksHeader:
    if len(head) < LUKS1_HEADER:
        raise LuksError("LUKS1 header cut short")
    cipher = f"{_text(head[8:40])}-{_text(head[40:72])}"
    hash_name = _hash(_text(head[72:104]), "LUKS1 hash-spec")
    payload = int.from_bytes(head[104:108], "big") * SECTOR
    key_bytes = _bounded(
        int.from_bytes(head[108:112], "big"), MAX_KEY_BYTES, "LUKS1 key-bytes"
    )
    # mk-digest [112:132], its salt [132:164], iterations [164:168]
    digest = Digest(
        hash_name,
        _bounded(
            int.from_bytes(head[164:168], "big"),
            MAX_PBKDF2_ITERATIONS,
            "LUKS1 mk-digest-iter",
        ),
        head[132:164],
        head[112:132],
    )
    data = Sectors(cipher)
    slots = []
    for number in range(8):
        at = 208 + number * 48
        if int.from_bytes(head[at : at + 4], "big") != _ACTIVE:
            continue
        field = f"LUKS1 key slot {number}"
        slots.append(
            KeySlot(
                number,
                Kdf(
                    "pbkdf2",
                    head[at + 8 : at + 40],
                    hash_name=hash_name,
                    iterations=_bounded(
                        int.from_bytes(head[at + 4 : at + 8], "big"),
                        MAX_PBKDF2_ITERATIONS,
                        f"{field} iterations",
                    ),
                ),
                key_bytes,
                _bounded(
                    int.from_bytes(head[at + 44 : at + 48], "big"),
                    MAX_STRIPES,
                    f"{field} stripes",
                ),
                hash_name,
                int.from_bytes(head[at + 40 : at + 44], "big") * SECTOR,
                data,
                key_bytes,
            )
        )
    if payload >= size:
        raise LuksError(f"LUKS1 payload offset {payload:,} is past the volume's end")
    return LuksHeader(
        1,
        tuple(slots),
        ((digest, frozenset(s.number for s in slots)),),
        payload,
        size - payload,
        data,
        _text(head[168:208]),
    )


# --- LUKS2: a binary header, then JSON metadata; two copies ---------------------


def _luks2(read: Any, size: int) -> LuksHeader:
    """The newer valid copy of the two LUKS2 headers (the second guards the first)."""
    problems = []
    copies = []
    first = read(0, 4096)
    candidates = [0]
    header_size = int.from_bytes(first[8:16], "big")
    if 4096 < header_size <= MAX_JSON:
        candidates.append(header_size)
    # Where the first copy is damaged, the second lies at one of the sizes the
    # specification allows.
    candidates += [s for s in (16384 * 2**n for n in range(9)) if s not in candidates]
    for offset in candidates:
        try:
            copies.append(_luks2_copy(read, offset))
        except LuksError as exc:
            if offset in (0, header_size):
                problems.append(f"copy at {offset:,}: {exc}")
        if len(copies) == 2:
            break
    if not copies:
        raise LuksError("LUKS2 header not readable (" + "; ".join(problems) + ")")
    _sequence, metadata = max(copies, key=lambda copy: copy[0])
    return _from_json(metadata, size)


def _luks2_copy(read: Any, offset: int) -> tuple[int, dict[str, Any]]:
    binary = read(offset, 4096)
    magic = LUKS_MAGIC if offset == 0 else LUKS2_SECOND_MAGIC
    if not binary.startswith(magic):
        raise LuksError("no header magic")
    header_size = int.from_bytes(binary[8:16], "big")
    if not 4096 < header_size <= MAX_JSON:
        raise LuksError(f"hdr_size {header_size:,} is out of range")
    json_area = read(offset + 4096, header_size - 4096)
    algorithm = _text(binary[0x40:0x60]) or "sha256"
    checksum = hashlib.new(_hash(algorithm, "LUKS2 checksum_alg"))
    checksum.update(binary[:0x1C0] + bytes(64) + binary[0x200:])
    checksum.update(json_area)
    stored = binary[0x1C0 : 0x1C0 + checksum.digest_size]
    if checksum.digest() != stored:
        raise LuksError("its checksum does not match (damaged)")
    try:
        metadata = json.loads(json_area.split(b"\0", 1)[0])
    except (ValueError, UnicodeDecodeError) as exc:
        raise LuksError(f"its JSON metadata is not readable ({exc})") from None
    if not isinstance(metadata, dict):
        raise LuksError("its JSON metadata is not an object")
    return int.from_bytes(binary[16:24], "big"), metadata


def _b64(value: Any, field: str) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise LuksError(f"{field} is not base64") from None


def _number(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise LuksError(f"{field} is not a number ({value!r})") from None


def _from_json(metadata: dict[str, Any], size: int) -> LuksHeader:
    try:
        return _from_json_fields(metadata, size)
    except (KeyError, TypeError, AttributeError) as exc:
        raise LuksError(f"LUKS2 metadata lacks {exc}") from None


def _from_json_fields(metadata: dict[str, Any], size: int) -> LuksHeader:
    requirements = metadata.get("config", {}).get("requirements", {})
    if requirements.get("mandatory"):
        needs = ", ".join(map(str, requirements["mandatory"]))
        raise LuksError(
            f"LUKS2 volume needs {needs} (an interrupted re-encryption?); finish it "
            "with cryptsetup on a copy and scan the copy"
        )
    segments = metadata["segments"]
    if len(segments) != 1:
        raise LuksError(
            f"LUKS2 volume has {len(segments)} data segments (re-encryption in "
            "progress); Kavach reads a volume with one"
        )
    number, segment = next(iter(segments.items()))
    field = f"LUKS2 segment {number}"
    if segment.get("type") != "crypt":
        raise LuksError(f"{field} is of type {segment.get('type')!r}, not crypt")
    if segment.get("integrity"):
        raise LuksError(f"{field} uses dm-integrity, which Kavach cannot read yet")
    offset = _number(segment["offset"], f"{field} offset")
    if offset >= size:
        raise LuksError(f"{field} offset {offset:,} is past the volume's end")
    sized = segment["size"]
    data_size = size - offset if sized == "dynamic" else _number(sized, f"{field} size")
    data_size = min(data_size, size - offset)
    sector_size = _number(segment.get("sector_size", SECTOR), f"{field} sector_size")
    if sector_size not in (512, 1024, 2048, 4096):
        raise LuksError(f"{field} sector_size {sector_size} is not allowed")
    data = Sectors(
        segment["encryption"],
        sector_size,
        _tweak(_number(segment.get("iv_tweak", 0), f"{field} iv_tweak"), field),
    )
    slots = tuple(
        _keyslot(int(name), slot)
        for name, slot in sorted(
            metadata["keyslots"].items(), key=lambda item: int(item[0])
        )
        if slot.get("type") == "luks2"
    )
    digests = tuple(
        (_digest(name, digest), _slot_numbers(name, digest["keyslots"]))
        for name, digest in metadata["digests"].items()
        if number in digest.get("segments", [])
    )
    if not digests:
        raise LuksError(f"no LUKS2 digest covers {field}")
    return LuksHeader(
        2, slots, digests, offset, data_size, data, str(metadata.get("uuid", ""))
    )


def _tweak(value: int, field: str) -> int:
    """LUKS2's iv_tweak: a sector number added to every IV, so 0 to 2**63."""
    if not 0 <= value < 2**63:
        raise LuksError(f"{field} iv_tweak {value:,} is out of range")
    return value


def _keyslot(number: int, slot: dict[str, Any]) -> KeySlot:
    field = f"LUKS2 key slot {number}"
    kdf = slot["kdf"]
    salt = _b64(kdf["salt"], f"{field} kdf salt")
    kind = kdf["type"]
    if kind == "pbkdf2":
        made = Kdf(
            kind,
            salt,
            hash_name=_hash(kdf["hash"], f"{field} kdf hash"),
            iterations=_bounded(
                _number(kdf["iterations"], f"{field} iterations"),
                MAX_PBKDF2_ITERATIONS,
                f"{field} iterations",
            ),
        )
    elif kind in ("argon2i", "argon2id"):
        made = Kdf(
            kind,
            salt,
            time=_bounded(
                _number(kdf["time"], f"{field} time"), MAX_ARGON2_TIME, f"{field} time"
            ),
            memory_kib=_bounded(
                _number(kdf["memory"], f"{field} memory"),
                MAX_ARGON2_MEMORY_KIB,
                f"{field} memory",
            ),
            lanes=_bounded(_number(kdf["cpus"], f"{field} cpus"), 64, f"{field} cpus"),
        )
    else:
        raise LuksError(f"{field}: key derivation {kind!r} is not known")
    af = slot["af"]
    if af.get("type") != "luks1":
        raise LuksError(f"{field}: anti-forensic splitter {af.get('type')!r} unknown")
    area = slot["area"]
    if area.get("type") != "raw":
        raise LuksError(f"{field}: key area of type {area.get('type')!r} unknown")
    return KeySlot(
        number,
        made,
        _bounded(
            _number(slot["key_size"], f"{field} key_size"),
            MAX_KEY_BYTES,
            f"{field} key_size",
        ),
        _bounded(
            _number(af["stripes"], f"{field} stripes"), MAX_STRIPES, f"{field} stripes"
        ),
        _hash(af["hash"], f"{field} af hash"),
        _number(area["offset"], f"{field} area offset"),
        Sectors(area["encryption"]),
        _bounded(
            _number(area["key_size"], f"{field} area key_size"),
            MAX_KEY_BYTES,
            f"{field} area key_size",
        ),
    )


def _slot_numbers(name: str, slots: Any) -> frozenset[int]:
    if not isinstance(slots, list):
        raise LuksError(f"LUKS2 digest {name} keyslots is not a list")
    return frozenset(_number(s, f"LUKS2 digest {name} keyslot") for s in slots)


def _digest(name: str, digest: dict[str, Any]) -> Digest:
    field = f"LUKS2 digest {name}"
    if digest.get("type") != "pbkdf2":
        raise LuksError(f"{field} of type {digest.get('type')!r} unknown")
    return Digest(
        _hash(digest["hash"], f"{field} hash"),
        _bounded(
            _number(digest["iterations"], f"{field} iterations"),
            MAX_PBKDF2_ITERATIONS,
            f"{field} iterations",
        ),
        _b64(digest["salt"], f"{field} salt"),
        _nonempty(_b64(digest["digest"], f"{field} digest"), f"{field} digest"),
    )


def _nonempty(value: bytes, field: str) -> bytes:
    if not value:
        raise LuksError(f"{field} is empty")
    return value


# --- the clear volume -------------------------------------------------------------


class LuksMedium(Medium):
    """The clear bytes of an unlocked LUKS volume, decrypted as they are read."""

    kind = "luks"

    def __init__(self, outer: Any, header: LuksHeader, key: bytes) -> None:
        self._outer = outer  # reads (offset, count) of the encrypted volume
        self._header = header
        self._key = key
        self.size = header.data_size
        self.segment_files = []

    def read(self, offset: int, size: int) -> bytes:
        size = max(min(size, self.size - offset), 0)
        if size == 0:
            return b""
        unit = self._header.data_cipher.sector_size
        first = offset // unit * unit
        last = -(-(offset + size) // unit) * unit
        sealed = self._outer(self._header.data_offset + first, last - first)
        whole = len(sealed) // unit * unit
        try:
            clear = self._header.data_cipher.decrypt(
                self._key, sealed[:whole], first // SECTOR
            )
        except ValueError as exc:  # a key of a size the data's cipher refuses
            raise OSError(f"LUKS data not decrypted: {exc}") from None
        return clear[offset - first : offset - first + size]
