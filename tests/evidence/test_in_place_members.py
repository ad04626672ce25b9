"""Archive members read again in place (how a disk image inside an archive is
opened without being copied out): the bytes equal what the archive's own reader
gives, at any offset, while the archive goes on streaming its members."""

from __future__ import annotations

import io
import os
import random
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from kavach.bootstrap import Kavach
from kavach.evidence.sources.archive import members
from tests.helpers import disks
from tests.helpers.scanning import read_csv, scan

CONTENT = {
    "a/first.bin": os.urandom(300_000),
    "b/second.txt": b"second member\n" * 20_000,
    "third.bin": os.urandom(70_000) + bytes(200_000),
}


def _archive(kind: str) -> bytes:
    out = io.BytesIO()
    if kind.startswith("zip"):
        method = zipfile.ZIP_STORED if kind == "zip-stored" else zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(out, "w", method) as archive:
            for name, data in CONTENT.items():
                archive.writestr(name, data)
    else:
        mode = "w:gz" if kind == "tar-gz" else "w"
        with tarfile.open(fileobj=out, mode=mode) as archive:  # type: ignore[call-overload]
            for name, data in CONTENT.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


class _Shared:
    """One file object handed out by every open, as a spooled archive is."""

    def __init__(self, data: bytes) -> None:
        self.file = io.BytesIO(data)

    def __call__(self) -> BinaryIO:
        self.file.seek(0)
        return _NoClose(self.file)  # type: ignore[return-value]


class _NoClose:
    def __init__(self, file: io.BytesIO) -> None:
        self._file = file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)

    def __enter__(self) -> _NoClose:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def close(self) -> None:
        return None


@pytest.mark.parametrize("kind", ["zip-stored", "zip-deflated", "tar", "tar-gz"])
@pytest.mark.parametrize("shared", [False, True])
def test_a_member_read_in_place_equals_its_streamed_bytes(
    kind: str, shared: bool
) -> None:
    data = _archive(kind)
    opener: Callable[[], BinaryIO] = (
        _Shared(data) if shared else (lambda: io.BytesIO(data))
    )
    archive_kind = (
        "zip" if kind.startswith("zip") else ("gzip" if kind == "tar-gz" else "tar")
    )
    chance = random.Random(7)
    seen = {}
    for member in members(archive_kind, opener, b"x"):
        assert member.stream is not None and member.reopen is not None
        expected = CONTENT[member.name.decode()]
        first = member.stream.read(1000)  # the archive streams part of it...
        with member.reopen() as again:  # ...reads it in place, at random...
            for _ in range(20):
                at = chance.randrange(len(expected))
                again.seek(at)
                assert again.read(5000) == expected[at : at + 5000]
            again.seek(0)
            assert again.read() == expected
        rest = member.stream.read()  # ...and streams on, undisturbed
        assert first + rest == expected
        seen[member.name.decode()] = True
    assert set(seen) == set(CONTENT)


class _CountingSpool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
    written: list[int] = []

    def write(self, data: Any) -> int:
        _CountingSpool.written.append(len(data))
        return super().write(data)


@pytest.mark.parametrize("kind", ["zip-stored", "zip-deflated", "tar-gz"])
def test_a_disk_image_in_an_archive_is_examined_without_being_copied_out(
    sqlite_app: Kavach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    disks.require_tools()
    volume = disks.fat_volume(
        tmp_path / "stick.img", {"notes/a.txt": b"inside\n" * 1000}, [], size_mb=8
    )
    note = b"not a disk\n" * 100
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    if kind.startswith("zip"):
        method = zipfile.ZIP_STORED if kind == "zip-stored" else zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(exhibit / "copies.zip", "w", method) as archive:
            archive.write(volume, "stick.img")
            archive.writestr("note.txt", note)
        image = "copies.zip!/stick.img"
    else:
        (tmp_path / "note.txt").write_bytes(note)
        with tarfile.open(exhibit / "copies.tar.gz", "w:gz") as tar:
            tar.add(volume, "stick.img")
            tar.add(tmp_path / "note.txt", "note.txt")
        image = "copies.tar.gz!/stick.img"
    _CountingSpool.written = []
    # The examiner keeps members in tempfile.SpooledTemporaryFile: count them.
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", _CountingSpool)
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=1)  # inline: the patch is seen
    paths = {f["path"] for f in read_csv(out / "files.csv")}
    assert f"{image}#p1:/notes/a.txt" in paths
    # Only the note was kept as it streamed past; the 8 MiB image never was.
    assert sum(_CountingSpool.written) == len(note)
