"""The backup container: round trips, nothing readable, every kind of damage named."""

from __future__ import annotations

import io
import json
import os
import tarfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from kavach.backup.chunks import LENGTH, TRAILING, TRUNCATED
from kavach.backup.container import (
    KEY_MISMATCH,
    MAGIC,
    encode_header,
    open_backup,
    read_header,
    write_backup,
    write_payload,
)
from kavach.backup.keys import KeySource, new_key_file
from kavach.errors import FormatError, InputError

# Markers a leak would show: a digest and an evidence path, as the database holds them.
DIGEST = "9f2c4e1d7a0b6c3e8f5a2d9c1b4e7f0a3c6d9e2b5f8a1c4d7e0b3f6a9c2d5e8f"
EVIDENCE_PATH = "/srv/kavach/evidence/EX-2026-0042/DCIM/IMG_0001.jpg"
PUBLIC = {"kavach": "0.1.0", "schema": "0007", "counts": {"hash_entry": 3}}
CHUNK = 1 << 20
Parts = list[tuple[str, Path]]


@pytest.fixture
def key(tmp_path: Path) -> KeySource:
    new_key_file(tmp_path / "unit.key")
    return KeySource.key_file(tmp_path / "unit.key")


@pytest.fixture
def parts(tmp_path: Path) -> Parts:
    """A 3 MiB part (four chunks of 1 MiB), an empty one, one in a folder."""
    folder = tmp_path / "parts"
    folder.mkdir()
    row = f"INSERT INTO match VALUES ('{DIGEST}', '{EVIDENCE_PATH}');\n".encode()
    big = folder / "database.sql"
    big.write_bytes(row + os.urandom(3 << 20) + row)
    (folder / "empty").write_bytes(b"")
    (folder / "index").write_bytes(row * 10)
    return [
        ("database.sql", big),
        ("empty.bin", folder / "empty"),
        ("indexes/pdq-DIGEST.idx", folder / "index"),
    ]


def _write(path: Path, parts: Parts, key: KeySource | None, chunk: int = CHUNK) -> Path:
    with path.open("wb") as out:
        write_backup(out, PUBLIC, parts, key, chunk_size=chunk)
    return path


def _chunks(path: Path) -> list[tuple[int, int]]:
    """(offset, size with its length field) of each chunk of a backup."""
    data = path.read_bytes()
    offset = len(MAGIC) + 1 + LENGTH.size + LENGTH.unpack_from(data, len(MAGIC) + 1)[0]
    found = []
    while offset < len(data):
        size = LENGTH.size + LENGTH.unpack_from(data, offset)[0]
        found.append((offset, size))
        offset += size
    return found


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _refused(path: Path, key: KeySource | None, into: Path) -> str:
    with pytest.raises(FormatError) as caught:
        open_backup(path, key, into)
    assert list(into.iterdir()) == []  # nothing of a damaged backup is left behind
    assert str(path) in str(caught.value)
    return caught.value.reason


def _same(parts: Parts, into: Path, names: list[str]) -> None:
    assert names == [name for name, _ in parts]
    for name, source in parts:
        assert (into / name).read_bytes() == source.read_bytes()


def test_a_key_file_backup_round_trips(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    assert len(_chunks(backup)) >= 4
    names = open_backup(backup, key, tmp_path / "out")
    _same(parts, tmp_path / "out", names)
    assert (tmp_path / "out" / "empty.bin").stat().st_size == 0
    assert oct((tmp_path / "out" / "database.sql").stat().st_mode & 0o777) == "0o600"


def test_a_passphrase_backup_round_trips(tmp_path: Path, parts: Parts) -> None:
    passphrase = KeySource.passphrase("seven cold rivers at dawn")
    backup = _write(tmp_path / "b.kbk", parts, passphrase)
    assert read_header(backup)["kdf"] == "scrypt"
    again = KeySource.passphrase("seven cold rivers at dawn")
    _same(parts, tmp_path / "out", open_backup(backup, again, tmp_path / "out"))


def test_the_backup_shows_no_digest_path_or_part_name(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    data = _write(tmp_path / "b.kbk", parts, key).read_bytes()
    for marker in (
        DIGEST,
        EVIDENCE_PATH,
        "EX-2026-0042",
        "INSERT INTO",
        "database.sql",
    ):
        assert marker.encode() not in data, marker
        assert marker.encode().hex().encode() not in data, marker
    header = read_header(tmp_path / "b.kbk")
    text = json.dumps(header)
    assert DIGEST not in text and "evidence" not in text and "database" not in text
    assert header["public"] == PUBLIC and header["encrypted"] is True
    assert data.count(b"KAVACHBK") == 1  # the magic, and no second copy of anything


def test_the_public_header_refuses_paths_and_digests(tmp_path: Path) -> None:
    for public in ({"db": EVIDENCE_PATH}, {"last": DIGEST}, {"x": [1, {"p": "a\\b"}]}):
        with pytest.raises(InputError, match="readable without the key"):
            write_backup(io.BytesIO(), public, [], None)
    with pytest.raises(InputError, match="not plain JSON"):
        write_backup(io.BytesIO(), {"when": object()}, [], None)


def test_a_wrong_key_or_passphrase_is_named(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    new_key_file(tmp_path / "other.key")
    other = KeySource.key_file(tmp_path / "other.key")
    assert _refused(backup, other, tmp_path / "out") == KEY_MISMATCH
    sealed = _write(
        tmp_path / "p.kbk", parts, KeySource.passphrase("the right passphrase")
    )
    wrong = KeySource.passphrase("the wrong passphrase")
    assert _refused(sealed, wrong, tmp_path / "out") == KEY_MISMATCH


def test_the_wrong_kind_of_key_or_none_says_what_to_give(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    sealed = _write(
        tmp_path / "p.kbk", parts, KeySource.passphrase("the right passphrase")
    )
    with pytest.raises(InputError, match="give --passphrase"):
        open_backup(sealed, key, tmp_path / "out")
    with pytest.raises(InputError, match="encrypted: give --key-file or --passphrase"):
        open_backup(sealed, None, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_damaged_header_is_named(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    salt = backup.read_bytes().index(read_header(backup)["salt"].encode())
    _flip(backup, salt + 3)  # still hex, still JSON: only the checksum tells
    with pytest.raises(FormatError, match="its checksum does not match"):
        read_header(backup)
    assert "checksum" in _refused(backup, key, tmp_path / "out")


@pytest.mark.parametrize(
    ("offset", "reason"),
    [(0, "not a Kavach backup"), (8, "unknown format version 0"), (13, "not JSON")],
)
def test_the_first_bytes_are_checked(
    tmp_path: Path, key: KeySource, parts: Parts, offset: int, reason: str
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    _flip(backup, offset)
    assert reason in _refused(backup, key, tmp_path / "out")


def test_a_header_rewritten_with_a_good_checksum_breaks_every_chunk(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    header = read_header(backup)
    old = encode_header(header)
    header["public"] = {**PUBLIC, "counts": {"hash_entry": 4}}
    backup.write_bytes(encode_header(header) + backup.read_bytes()[len(old) :])
    assert read_header(backup)["public"]["counts"] == {"hash_entry": 4}
    # The key still checks out, so the first chunk failing is named as damage.
    assert _refused(backup, key, tmp_path / "out").startswith("damaged at byte")


def test_a_flipped_byte_in_chunk_0_is_damage_not_a_wrong_key(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    start, size = _chunks(backup)[0]
    _flip(backup, start + size // 2)
    assert _refused(backup, key, tmp_path / "out") == (
        f"damaged at byte {start} (chunk 0)"
    )


def test_a_flipped_byte_in_the_middle_chunk_names_where(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    chunks = _chunks(backup)
    middle = len(chunks) // 2
    start, size = chunks[middle]
    _flip(backup, start + size // 2)
    reason = _refused(backup, key, tmp_path / "out")
    assert reason == f"damaged at byte {start} (chunk {middle})"


def test_a_flipped_byte_in_the_last_tag_names_where(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    chunks = _chunks(backup)
    start, _ = chunks[-1]
    _flip(backup, backup.stat().st_size - 5)  # inside the 16-byte GCM tag
    reason = _refused(backup, key, tmp_path / "out")
    assert reason == f"damaged at byte {start} (chunk {len(chunks) - 1})"


def test_a_damaged_length_field_names_where(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    start, _ = _chunks(backup)[2]
    _flip(backup, start)  # the length's top byte: now far beyond one chunk
    assert (
        _refused(backup, key, tmp_path / "out") == f"damaged at byte {start} (chunk 2)"
    )


def _cuts(chunks: list[tuple[int, int]]) -> dict[str, int]:
    (first, _), (second, size), (third, _) = chunks[:3]
    return {
        "after the header": first,
        "in a length field": third + 2,
        "mid-chunk": second + size // 2,
        "at a chunk boundary": third,
        "at the last chunk": chunks[-1][0],
        "one byte short": chunks[-1][0] + chunks[-1][1] - 1,
    }


@pytest.mark.parametrize("encrypted", [True, False])
def test_a_truncated_backup_is_named_wherever_it_is_cut(
    tmp_path: Path, key: KeySource, parts: Parts, encrypted: bool
) -> None:
    whole = _write(tmp_path / "b.kbk", parts, key if encrypted else None)
    data = whole.read_bytes()
    for where, cut in _cuts(_chunks(whole)).items():
        (tmp_path / "cut.kbk").write_bytes(data[:cut])
        reason = _refused(tmp_path / "cut.kbk", key, tmp_path / "out")
        assert reason == TRUNCATED, where


def test_a_removed_last_chunk_is_truncation(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    start, _ = _chunks(backup)[-1]
    backup.write_bytes(backup.read_bytes()[:start])
    assert _refused(backup, key, tmp_path / "out") == TRUNCATED


@pytest.mark.parametrize("extra", [b"\0", b"x" * 3, os.urandom(100)])
def test_bytes_after_the_end_are_refused(
    tmp_path: Path, key: KeySource, parts: Parts, extra: bytes
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    backup.write_bytes(backup.read_bytes() + extra)
    assert _refused(backup, key, tmp_path / "out") == TRAILING


def test_a_clear_backup_round_trips_and_finds_damage(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, None)
    header = read_header(backup)
    assert header["encrypted"] is False and header["salt"] is None
    _same(parts, tmp_path / "out", open_backup(backup, None, tmp_path / "out"))
    _same(parts, tmp_path / "keyed", open_backup(backup, key, tmp_path / "keyed"))
    for number, (start, size) in enumerate(_chunks(backup)[:2]):
        damaged = tmp_path / f"damaged{number}.kbk"
        damaged.write_bytes(backup.read_bytes())
        _flip(damaged, start + size // 3)
        reason = _refused(damaged, None, tmp_path / "bad")
        assert reason == f"damaged at byte {start} (chunk {number})"


def test_a_clear_backup_keeps_the_header_in_its_chain(
    tmp_path: Path, parts: Parts
) -> None:
    backup = _write(tmp_path / "b.kbk", parts, None)
    header = read_header(backup)
    old = encode_header(header)
    header["public"] = {"forged": True}
    backup.write_bytes(encode_header(header) + backup.read_bytes()[len(old) :])
    start, _ = _chunks(backup)[0]
    assert (
        _refused(backup, None, tmp_path / "out") == f"damaged at byte {start} (chunk 0)"
    )


def _odd_member(kind: str) -> Callable[[tarfile.TarFile], None]:
    def fill(tar: tarfile.TarFile) -> None:
        tar.addfile(tarfile.TarInfo("fine.txt"), io.BytesIO())
        member = tarfile.TarInfo(
            {"absolute": "/etc/cron.d/x", "dotdot": "a/../../x"}.get(kind, kind)
        )
        member.type = {
            "symlink": tarfile.SYMTYPE,
            "hardlink": tarfile.LNKTYPE,
            "device": tarfile.CHRTYPE,
            "fifo": tarfile.FIFOTYPE,
        }.get(kind, tarfile.REGTYPE)
        member.linkname = "/etc/passwd" if "link" in kind else ""
        tar.addfile(member, io.BytesIO())

    return fill


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("symlink", "links refused"),
        ("hardlink", "links refused"),
        ("device", "links refused"),
        ("fifo", "links refused"),
        ("absolute", "absolute path"),
        ("dotdot", "'..' step"),
        ("fine.txt", "appears twice"),
    ],
)
def test_tar_members_other_than_plain_files_are_refused(
    tmp_path: Path, key: KeySource, kind: str, reason: str
) -> None:
    backup = tmp_path / "odd.kbk"
    with backup.open("wb") as out:
        write_payload(out, PUBLIC, key, _odd_member(kind))
    assert reason in _refused(backup, key, tmp_path / "out")


@pytest.mark.parametrize("name", ["", "/abs", "a/../b", "a//b", "./a", "a\\b"])
def test_part_names_must_be_plain_relative_paths(tmp_path: Path, name: str) -> None:
    (tmp_path / "p").write_bytes(b"x")
    with pytest.raises(InputError, match="part name"):
        write_backup(io.BytesIO(), {}, [(name, tmp_path / "p")], None)


def test_parts_are_named_once_and_are_files(tmp_path: Path) -> None:
    (tmp_path / "p").write_bytes(b"x")
    with pytest.raises(InputError, match="given twice"):
        write_backup(io.BytesIO(), {}, [("a", tmp_path / "p")] * 2, None)
    with pytest.raises(InputError, match="not a regular file"):
        write_backup(io.BytesIO(), {}, [("a", tmp_path)], None)
    with pytest.raises(InputError, match="chunk size"):
        write_backup(io.BytesIO(), {}, [], None, chunk_size=100)


def test_a_failed_write_never_looks_complete(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    backup = tmp_path / "b.kbk"
    with backup.open("wb") as out, pytest.raises(InputError, match="cannot read part"):
        write_backup(out, PUBLIC, [*parts, ("gone", tmp_path / "gone")], key)
    assert _refused(backup, key, tmp_path / "out") == TRUNCATED


def test_the_folder_must_be_empty(tmp_path: Path, key: KeySource, parts: Parts) -> None:
    backup = _write(tmp_path / "b.kbk", parts, key)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep").write_bytes(b"mine")
    with pytest.raises(InputError, match="not an empty folder"):
        open_backup(backup, key, tmp_path / "out")
    assert (tmp_path / "out" / "keep").read_bytes() == b"mine"


def test_progress_counts_up_to_the_whole(
    tmp_path: Path, key: KeySource, parts: Parts
) -> None:
    written: list[int] = []
    with (tmp_path / "b.kbk").open("wb") as out:
        write_backup(out, PUBLIC, parts, key, on_bytes=written.append)
    read: list[int] = []
    open_backup(tmp_path / "b.kbk", key, tmp_path / "out", on_bytes=read.append)
    assert written == sorted(written) and written[-1] > 3 << 20
    assert read == sorted(read) and read[-1] == (tmp_path / "b.kbk").stat().st_size


def test_memory_stays_bounded_for_a_large_part(tmp_path: Path, key: KeySource) -> None:
    big = tmp_path / "big"
    block = os.urandom(1 << 20)
    with big.open("wb") as out:
        for _ in range(64):
            out.write(block)
    backup = tmp_path / "big.kbk"
    tracemalloc.start()
    try:
        with backup.open("wb") as out:
            write_backup(out, PUBLIC, [("big", big)], key, chunk_size=1 << 16)
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        open_backup(backup, key, tmp_path / "out")
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert write_peak < 8 << 20 and read_peak < 8 << 20, (write_peak, read_peak)
    assert (tmp_path / "out" / "big").stat().st_size == 64 << 20


def test_read_header_refuses_what_is_not_a_backup(
    tmp_path: Path, key: KeySource
) -> None:
    other = tmp_path / "notes.txt"
    other.write_bytes(b"just some notes, not a backup")
    with pytest.raises(FormatError, match="not a Kavach backup") as caught:
        read_header(other)
    assert str(other) in str(caught.value)
    cut = tmp_path / "cut.kbk"
    with cut.open("wb") as out:
        write_backup(out, PUBLIC, [], key)
    cut.write_bytes(cut.read_bytes()[:20])
    with pytest.raises(FormatError, match="ends in its header"):
        read_header(cut)
    with pytest.raises(InputError, match="cannot read backup"):
        read_header(tmp_path / "absent.kbk")


def test_neither_key_nor_derived_key_is_in_the_file(
    tmp_path: Path, parts: Parts
) -> None:
    new_key_file(tmp_path / "k")
    key = KeySource.key_file(tmp_path / "k")
    data = _write(tmp_path / "b.kbk", parts, key).read_bytes()
    derived = key.derive(bytes.fromhex(read_header(tmp_path / "b.kbk")["salt"]))
    for secret in ((tmp_path / "k").read_bytes(), derived):
        assert secret not in data and secret.hex().encode() not in data
