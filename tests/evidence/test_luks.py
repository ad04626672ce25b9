"""LUKS1 and LUKS2 volumes: named without a key, read with the passphrase or key file.

The samples were made by cryptsetup (tests/data/luks/README.md): its header, key
slots and encryption, not Kavach's. The clear volume Kavach decrypts must be, byte
for byte, the file system cryptsetup was given (its sha256 is in the README), and
the scan must list what ``fls`` lists on those clear bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kavach.evidence.sources import luks
from kavach.evidence.sources.image_formats import ImageError
from tests.helpers import disks
from tests.helpers.cli import Env, run_kavach
from tests.helpers.scanning import read_csv

DATA = Path(__file__).parent.parent / "data" / "luks"
KEY_FILE = DATA / "keyfile.bin"

# name: (passphrase, sha256 of the clear volume, bytes of the clear volume)
SAMPLES = {
    "luks1-cbc.img": (
        "kavach-LUKS1-test",
        "54d52d52d71597de58ef5b73f44bd73385a26016682a97c8ade621f519d53a01",
        131_072,
    ),
    "luks2-xts.img": (
        "kavach-LUKS2-test",
        "31ebdfc462e7a2c8d7ca881de91a10cada3c4e1798f02efdff8eb3d1bacd3646",
        262_144,
    ),
}
NOTES_MD5 = "3385e8a36f92a962cddd65185f7f667a"  # notes.txt, as written into both


def _volume(name: str) -> bytes:
    return gzip.decompress((DATA / f"{name}.gz").read_bytes())


def _reader(data: bytes) -> luks.LuksHeader:
    return luks.read_header(lambda at, count: data[at : at + count], len(data))


def _clear(data: bytes, secret: bytes) -> bytes | None:
    header = _reader(data)
    read = lambda at, count: data[at : at + count]  # noqa: E731
    key = header.unlock(read, secret)
    if key is None:
        return None
    return luks.LuksMedium(read, header, key).read(0, header.data_size)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_key_slot_opens_the_volume_cryptsetup_encrypted(name: str) -> None:
    passphrase, clear_sha256, clear_size = SAMPLES[name]
    data = _volume(name)
    header = _reader(data)
    assert header.version == int(name[4])
    assert header.data_size == clear_size
    for secret in (passphrase.encode(), KEY_FILE.read_bytes()):
        clear = _clear(data, secret)
        assert clear is not None
        assert hashlib.sha256(clear).hexdigest() == clear_sha256
    assert _clear(data, b"kavach-LUKS9-test") is None
    # Reads at any offset and length agree with the whole.
    whole = _clear(data, passphrase.encode())
    assert whole is not None
    medium_read = lambda at, count: data[at : at + count]  # noqa: E731
    medium = luks.LuksMedium(
        medium_read, header, header.unlock(medium_read, passphrase.encode()) or b""
    )
    for at, count in ((0, 1), (511, 2), (1000, 5000), (clear_size - 7, 100)):
        assert medium.read(at, count) == whole[at : at + count]


def test_a_damaged_first_luks2_header_is_read_from_its_second_copy() -> None:
    passphrase, clear_sha256, _ = SAMPLES["luks2-xts.img"]
    data = bytearray(_volume("luks2-xts.img"))
    data[4096 + 10] ^= 0xFF  # the first copy's JSON: its checksum no longer matches
    clear = _clear(bytes(data), passphrase.encode())
    assert clear is not None and hashlib.sha256(clear).hexdigest() == clear_sha256
    second = 16384  # --luks2-metadata-size 16k: the second copy follows the first
    data[second + 4096 + 10] ^= 0xFF
    with pytest.raises(ImageError, match="checksum does not match"):
        _reader(bytes(data))


def test_a_hostile_header_is_refused_naming_the_field() -> None:
    data = bytearray(_volume("luks1-cbc.img"))
    # Key slot 0's iterations: 4,000 million would derive keys for hours.
    data[208 + 4 : 208 + 8] = (4_000_000_000).to_bytes(4, "big")
    with pytest.raises(ImageError, match="LUKS1 key slot 0 iterations is 4,000"):
        _reader(bytes(data))
    twofish = bytearray(_volume("luks1-cbc.img"))
    twofish[8:40] = b"twofish".ljust(32, b"\0")
    with pytest.raises(ImageError, match="Kavach decrypts AES only"):
        _reader(bytes(twofish))


def _exhibit(tmp_path: Path) -> Path:
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    shutil.copy(DATA / "luks1-cbc.img.gz", exhibit)  # read through gzip
    (exhibit / "luks2-xts.img").write_bytes(_volume("luks2-xts.img"))
    return exhibit


def _scan(env: Env, exhibit: Path, out: Path, *keys: str | Path) -> Path:
    run_kavach(env, "scan", exhibit, "--allow-empty", "--out", out, *keys)
    return out


def _warnings(out: Path) -> dict[str, str]:
    return {w["path"]: w["reason"] for w in read_csv(out / "warnings.csv")}


def test_luks_volumes_are_named_without_a_key_and_listed_like_fls_with_it(
    sqlite_env: Env, tmp_path: Path
) -> None:
    exhibit = _exhibit(tmp_path)
    one, two = "luks1-cbc.img.gz#p1", "luks2-xts.img#p1"
    locked = _warnings(_scan(sqlite_env, exhibit, tmp_path / "locked"))
    assert "encrypted (LUKS1): give its key with --key" in locked[f"{one}:"]
    assert "encrypted (LUKS2): give its key with --key" in locked[f"{two}:"]
    wrong = _warnings(
        _scan(sqlite_env, exhibit, tmp_path / "wrong", "--key", "*=not-the-key")
    )
    assert "the key given (passphrase) does not unlock it" in wrong[f"{two}:"]
    out = _scan(
        sqlite_env,
        exhibit,
        tmp_path / "opened",
        "--key",
        f"luks1-cbc.img.gz={SAMPLES['luks1-cbc.img'][0]}",
        "--key",
        f"{two}={KEY_FILE}",
    )
    warnings = _warnings(out)
    assert not any("encrypted" in reason for reason in warnings.values()), warnings
    files = read_csv(out / "files.csv")
    for name, shown in (("luks1-cbc.img", one), ("luks2-xts.img", two)):
        clear = _clear(_volume(name), SAMPLES[name][0].encode())
        assert clear is not None
        raw = tmp_path / f"{name}.clear"
        raw.write_bytes(clear)
        prefix = f"{shown}:/"
        ours = {
            (f["path"].removeprefix(prefix), f["deleted"] == "true")
            for f in files
            if f["path"].startswith(prefix) and "$Unallocated" not in f["path"]
        }
        assert ours == disks.fls_files(raw, 0), name
        notes = next(f for f in files if f["path"] == f"{prefix}notes.txt")
        assert notes["md5"] == NOTES_MD5
    # The audit log names the volumes and the kinds of key; no secret is stored.
    audit = json.loads(
        run_kavach(sqlite_env, "audit", "list", "--format", "json").stdout
    )
    given = [e["detail"]["keys"] for e in audit if e["action"] == "scan.keys_given"]
    assert given[-1] == [
        {"volume": "luks1-cbc.img.gz", "kind": "passphrase"},
        {"volume": two, "kind": "key-file"},
    ]
    stored = [tmp_path / "kavach.db", *tmp_path.glob("*/*.csv")]
    for path in stored:
        content = path.read_bytes()
        for secret in (SAMPLES["luks1-cbc.img"][0], KEY_FILE.read_bytes().hex()):
            assert secret.encode() not in content, path


def _with_metadata(change: dict[str, object]) -> bytes:
    """The LUKS2 sample with its first header's JSON changed (the checksum made
    to fit again, the second copy spoilt), as a crafted volume would be."""
    data = bytearray(_volume("luks2-xts.img"))
    size = int.from_bytes(data[8:16], "big")
    metadata = json.loads(bytes(data[4096:size]).split(b"\0", 1)[0])
    for path, value in change.items():
        *parents, last = path.split("/")
        node = metadata
        for key in parents:
            node = node[key]
        node[last] = value
    area = json.dumps(metadata).encode().ljust(size - 4096, b"\0")
    binary = bytearray(data[:4096])
    binary[0x1C0:0x200] = bytes(64)
    binary[0x1C0 : 0x1C0 + 32] = hashlib.sha256(bytes(binary) + area).digest()
    data[:4096], data[4096:size] = binary, area
    data[size : size + 6] = b"broken"
    return bytes(data)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"segments/0/iv_tweak": "-1"}, "iv_tweak -1 is out of range"),
        ({"digests/0/keyslots": "0"}, "keyslots is not a list"),
        ({"digests/0/digest": ""}, "digest 0 digest is empty"),
        ({"keyslots/0/kdf/memory": 1}, "not usable: Argon2"),
        ({"segments/0/sector_size": 3}, "sector_size 3 is not allowed"),
    ],
)
def test_a_crafted_luks2_header_is_refused_naming_the_field(
    change: dict[str, object], named: str
) -> None:
    data = _with_metadata(change)
    with pytest.raises(ImageError, match=named):
        header = _reader(data)
        # Key slot 0 alone (slot 1, the key file's, is sound and would be tried).
        alone = replace(header, slots=header.slots[:1])
        alone.unlock(lambda at, count: data[at : at + count], b"kavach-LUKS2-test")
