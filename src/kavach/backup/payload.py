"""The TAR payload: parts in, and out again only as plain files and folders."""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
from pathlib import Path
from typing import IO

from kavach.backup.chunks import ChunkReader
from kavach.errors import FormatError, InputError


def extract(reader: ChunkReader, into: Path, source: str) -> list[str]:
    """Write each file of the (authenticated) TAR stream into ``into``."""
    names: list[str] = []
    try:
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            for member in tar:
                _check_member(member, source)
                target = into.joinpath(*member.name.split("/"))
                if member.isdir():
                    target.mkdir(mode=0o700, parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                data = tar.extractfile(member)
                assert data is not None  # a regular file always has data
                _write_new(target, data, member.name, source)
                names.append(member.name)
    except tarfile.TarError as exc:
        raise FormatError(
            source, None, f"the payload is not a TAR stream: {exc}"
        ) from None
    return names


def _check_member(member: tarfile.TarInfo, source: str) -> None:
    where = f"part {member.name!r}"
    if not (member.isreg() or member.isdir()):
        raise FormatError(source, where, "neither a file nor a folder (links refused)")
    problem = name_problem(member.name)
    if problem:
        raise FormatError(source, where, problem)


def _write_new(target: Path, data: IO[bytes], name: str, source: str) -> None:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise FormatError(source, f"part {name!r}", "appears twice") from None
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(data, out, 1 << 16)


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a part name (a relative POSIX path), or None."""
    if not name or len(name) > 255 or "\x00" in name:
        return "empty, longer than 255 characters or holding NUL"
    if name.startswith("/") or "\\" in name:
        return "an absolute path or one with a backslash"
    if any(piece in ("", ".", "..") for piece in name.split("/")):
        return "holds an empty, '.' or '..' step"
    return None


def add_part(tar: tarfile.TarFile, name: str, path: Path, seen: set[str]) -> None:
    problem = name_problem(name)
    if problem:
        raise InputError(f"part name {name!r}: {problem}")
    if name in seen:
        raise InputError(f"part name {name!r} given twice")
    seen.add(name)
    try:
        # stat first: opening a FIFO or device could block or read forever
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError(f"part {name!r} is not a regular file: {path}")
        with path.open("rb") as handle:
            member = tarfile.TarInfo(name)
            info = os.fstat(handle.fileno())
            member.size, member.mtime, member.mode = (
                info.st_size,
                int(info.st_mtime),
                0o600,
            )
            tar.addfile(member, handle)
    except OSError as exc:
        raise InputError(f"cannot read part {name!r} at {path}: {exc}") from None


def prepare_empty(into: Path) -> None:
    if into.exists():
        if not into.is_dir() or any(into.iterdir()):
            raise InputError(f"not an empty folder: {into}")
    else:
        into.mkdir(mode=0o700, parents=True)


def empty_folder(into: Path) -> None:
    for child in into.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
