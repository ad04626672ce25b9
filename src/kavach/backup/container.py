"""The Kavach backup container: a public header, then a TAR stream in sealed chunks.

Layout::

    "KAVACHBK" | version (1 byte) | header length (4 bytes, big-endian) | header
    | chunk 0 | chunk 1 | ... | last chunk          chunk = length (4 bytes) | sealed

The header is UTF-8 JSON with sorted keys, readable without a key: it holds only
what is safe in clear (the caller's ``public`` dict: version, schema revision, counts).
The payload is a PAX TAR stream of the caller's parts, cut into chunks of
``chunk_size`` bytes, so a backup of any size passes through a buffer of one chunk.

Why the chunks are sealed this way (the idea of age's STREAM construction):

* AES-256-GCM with a key drawn from the key file (HKDF) or passphrase (scrypt) and a
  salt that is random for every backup, so no two backups share a key.
* The nonce is a random 7-byte prefix, a 4-byte chunk counter, and one byte that is 1
  for the last chunk only. The counter means chunks cannot be reordered, dropped or
  repeated; the flag means a file cut exactly at a chunk boundary still fails,
  because the chunk it now ends with was sealed as "not the last".
* Every chunk's associated data is the exact header bytes (magic to the end of the
  JSON), so changing any header field breaks every chunk: the header is as
  authentic as the payload without a MAC of its own.
* The header also carries a SHA-256 of itself (``check``). Anyone can recompute it, so
  it protects nothing; it lets accidental damage be named as such, not as a wrong key.
* Without a key (``--no-encrypt``) each chunk is stored in clear followed by a SHA-256
  over the previous digest (the first over the header), the counter, the flag and the
  chunk: damage and truncation are still found, though deliberate forgery is not.

Reading authenticates each chunk before tarfile sees a byte of it, and on any failure
removes what was written, so a damaged backup never leaves half a restore behind.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tarfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from kavach.backup.chunks import (
    LENGTH,
    NONCE_PREFIX_BYTES,
    ChunkReader,
    ChunkWriter,
    DigestSealer,
    GcmSealer,
    OnBytes,
    Sealer,
)
from kavach.backup.keys import KeySource
from kavach.backup.payload import add_part, empty_folder, extract, prepare_empty
from kavach.errors import FormatError, InputError

MAGIC = b"KAVACHBK"
VERSION = 1
FORMAT = "kavach-backup"
MIN_CHUNK_SIZE = 1 << 10
# A reader allocates one chunk, so a hostile header may not ask for more than this.
MAX_CHUNK_SIZE = 1 << 26
MAX_HEADER_BYTES = 1 << 16
SALT_BYTES = 16
KDFS = ("hkdf-sha256", "scrypt")
KEY_MISMATCH = "wrong key or passphrase"

# A long hex run is a digest; a slash or backslash a path: neither belongs in clear.
_SECRET_LOOKING = re.compile(r"[0-9a-fA-F]{32,}|[/\\]")
_HEX = re.compile(r"[0-9a-f]+")


def write_backup(
    out: BinaryIO,
    public: dict[str, Any],
    parts: Iterable[tuple[str, Path]],
    key: KeySource | None,
    chunk_size: int = 1 << 20,
    on_bytes: OnBytes | None = None,
) -> None:
    """Write a backup of ``parts`` (name, file) to ``out``, streaming.

    ``key=None`` stores the payload in clear (still checked by a digest chain).
    ``on_bytes`` gets the running total of payload bytes sealed. If anything fails
    the output lacks its last chunk, so it can never be mistaken for a whole backup.
    """

    def fill(tar: tarfile.TarFile) -> None:
        seen: set[str] = set()
        for name, path in parts:
            add_part(tar, name, Path(path), seen)

    write_payload(out, public, key, fill, chunk_size, on_bytes)


def write_payload(
    out: BinaryIO,
    public: dict[str, Any],
    key: KeySource | None,
    fill: Callable[[tarfile.TarFile], None],
    chunk_size: int = 1 << 20,
    on_bytes: OnBytes | None = None,
) -> None:
    """Write a backup whose TAR stream ``fill`` writes (tests add odd members)."""
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise InputError(
            f"chunk size must lie between {MIN_CHUNK_SIZE} and {MAX_CHUNK_SIZE} bytes"
        )
    _check_public(public, "public")
    header = _new_header(public, key, chunk_size)
    if key is not None:
        header["key_check"] = key_check(key.derive(bytes.fromhex(header["salt"])))
    prefix = encode_header(header)
    sealer = _sealer(header, prefix, key, "the backup being written")
    out.write(prefix)
    sink = ChunkWriter(out, sealer, chunk_size, on_bytes)
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        fill(tar)
    sink.finish()


def read_header(path: Path | str) -> dict[str, Any]:
    """The public header of a backup (all of it is readable without a key)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            header, _ = _read_prefix(handle, str(path))
    except OSError as exc:
        raise InputError(f"cannot read backup {path}: {exc.strerror}") from None
    return header


def open_backup(
    path: Path | str,
    key: KeySource | None,
    into: Path | str,
    on_bytes: OnBytes | None = None,
) -> list[str]:
    """Verify and unpack a backup into the empty folder ``into``; return part names.

    ``on_bytes`` gets the running total of backup bytes authenticated. On any
    failure everything written into ``into`` is removed before the error is raised.
    """
    path, into = Path(path), Path(into)
    prepare_empty(into)
    try:
        return _unpack(path, key, into, on_bytes)
    except BaseException:
        empty_folder(into)
        raise


def encode_header(header: dict[str, Any]) -> bytes:
    """MAGIC, version, length and the JSON of ``header`` with its ``check`` added."""
    fields = {k: v for k, v in header.items() if k != "check"}
    fields["check"] = hashlib.sha256(_dump(fields)).hexdigest()
    raw = _dump(fields)
    if len(raw) > MAX_HEADER_BYTES:
        raise InputError(f"the public header is larger than {MAX_HEADER_BYTES} bytes")
    return MAGIC + bytes([VERSION]) + LENGTH.pack(len(raw)) + raw


def _dump(fields: dict[str, Any]) -> bytes:
    try:
        text = json.dumps(
            fields, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"the public header is not plain JSON: {exc}") from None
    return text.encode("utf-8")


def _new_header(
    public: dict[str, Any], key: KeySource | None, chunk_size: int
) -> dict[str, Any]:
    encrypted = key is not None
    return {
        "format": FORMAT,
        "encrypted": encrypted,
        "cipher": "aes-256-gcm" if encrypted else "sha256-chain",
        "kdf": key.kdf if key else None,
        "kdf_params": key.kdf_params() if key else None,
        "salt": secrets.token_bytes(SALT_BYTES).hex() if key else None,
        "nonce_prefix": secrets.token_bytes(NONCE_PREFIX_BYTES).hex() if key else None,
        "chunk_size": chunk_size,
        "public": public,
    }


def _check_public(value: object, where: str) -> None:
    """Refuse values that look like a path or a digest: the header is in clear."""
    if isinstance(value, dict):
        for name, item in value.items():
            if not isinstance(name, str) or _SECRET_LOOKING.search(name):
                raise InputError(f"{where}: a key is not a plain name")
            _check_public(item, f"{where}.{name}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _check_public(item, f"{where}[{number}]")
    elif isinstance(value, str) and _SECRET_LOOKING.search(value):
        raise InputError(
            f"{where} looks like a path or a digest: it would be readable without "
            "the key"
        )


def _sealer(
    header: dict[str, Any], prefix: bytes, key: KeySource | None, source: str
) -> Sealer:
    if not header["encrypted"]:
        return DigestSealer(prefix)  # a key given for a clear backup is not needed
    if key is None:
        raise InputError(f"{source}: encrypted: give --key-file or --passphrase")
    if key.kdf != header["kdf"]:
        wanted = "--passphrase" if header["kdf"] == "scrypt" else "--key-file"
        raise InputError(
            f"{source}: sealed with a different kind of key: give {wanted}"
        )
    if header["kdf_params"] != key.kdf_params():
        raise FormatError(source, "header", "unsupported key derivation parameters")
    derived = key.derive(bytes.fromhex(header["salt"]))
    said = header.get("key_check")
    if said is not None and not hmac.compare_digest(str(said), key_check(derived)):
        raise FormatError(source, None, KEY_MISMATCH)
    # With the key known right, a failing first chunk is damage, not the key.
    return GcmSealer(
        derived, bytes.fromhex(header["nonce_prefix"]), prefix, said is not None
    )


def key_check(derived: bytes) -> str:
    """A value that says whether a key is the one a backup was sealed with, so a
    wrong key and a damaged first chunk get their own messages. An HMAC of a fixed
    text under the derived key: it tells nothing of the records."""
    return hmac.new(derived, b"kavach-backup key check v1", "sha256").hexdigest()[:32]


def _read_prefix(handle: BinaryIO, source: str) -> tuple[dict[str, Any], bytes]:
    """The parsed header and its exact bytes (the chunks' associated data)."""
    magic = handle.read(len(MAGIC))
    if magic != MAGIC:
        raise FormatError(source, None, "not a Kavach backup (wrong magic bytes)")
    rest = handle.read(1 + LENGTH.size)
    if len(rest) < 1 + LENGTH.size:
        raise FormatError(source, "header", "truncated: the backup ends in its header")
    if rest[0] != VERSION:
        raise FormatError(
            source, None, f"unknown format version {rest[0]} (this Kavach reads 1)"
        )
    (length,) = LENGTH.unpack(rest[1:])
    if length > MAX_HEADER_BYTES:
        raise FormatError(source, "header", f"implausible length {length}")
    raw = handle.read(length)
    if len(raw) < length:
        raise FormatError(source, "header", "truncated: the backup ends in its header")
    return _parse_header(raw, source), magic + rest + raw


def _parse_header(raw: bytes, source: str) -> dict[str, Any]:
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FormatError(source, "header", "not JSON") from None
    if not isinstance(header, dict):
        raise FormatError(source, "header", "not a JSON object")
    if encode_header(header)[len(MAGIC) + 1 + LENGTH.size :] != raw:
        raise FormatError(source, "header", "damaged (its checksum does not match)")
    _validate_header(header, source)
    return header


def _validate_header(header: dict[str, Any], source: str) -> None:
    def bad(name: str) -> FormatError:
        return FormatError(source, "header", f"field {name!r} is missing or invalid")

    if header.get("format") != FORMAT:
        raise bad("format")
    if not isinstance(header.get("encrypted"), bool):
        raise bad("encrypted")
    size = header.get("chunk_size")
    if type(size) is not int or not MIN_CHUNK_SIZE <= size <= MAX_CHUNK_SIZE:
        raise bad("chunk_size")
    if not isinstance(header.get("public"), dict):
        raise bad("public")
    if not header["encrypted"]:
        return
    if header.get("kdf") not in KDFS:
        raise bad("kdf")
    if header.get("cipher") != "aes-256-gcm":
        raise bad("cipher")
    for name, length in (("salt", SALT_BYTES), ("nonce_prefix", NONCE_PREFIX_BYTES)):
        value = header.get(name)
        if not isinstance(value, str) or len(value) != 2 * length:
            raise bad(name)
        if not _HEX.fullmatch(value):
            raise bad(name)


def _unpack(
    path: Path, key: KeySource | None, into: Path, on_bytes: OnBytes | None
) -> list[str]:
    source = str(path)
    try:
        with path.open("rb") as handle:
            header, prefix = _read_prefix(handle, source)
            sealer = _sealer(header, prefix, key, source)
            size = os.fstat(handle.fileno()).st_size
            max_body = header["chunk_size"] + sealer.overhead
            reader = ChunkReader(handle, size, source, sealer, max_body, on_bytes)
            names = extract(reader, into, source)
            reader.drain()
    except OSError as exc:
        raise InputError(f"cannot restore {path} into {into}: {exc}") from None
    return names
