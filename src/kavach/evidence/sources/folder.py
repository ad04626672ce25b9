"""Walking a folder (or a single file) read-only, in a fixed, sorted order.

The order must never change between runs: a resumed scan skips exactly the items
the checkpoint says were committed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from kavach.evidence.sources.disk import DiskEntry


@dataclass(frozen=True, slots=True)
class WalkItem:
    """One regular file to examine, or a problem found while walking."""

    seq: int
    rel: bytes  # path spec relative to the scanned root (its name for a lone file)
    problem: str | None = None  # a warning instead of a file
    disk: DiskEntry | None = None  # a file (or unallocated space) inside a disk image
    original: bytes | None = None  # where a phone backup says the file lay


def walk(root: bytes) -> Iterator[WalkItem]:
    """Every regular file under ``root``; symlinks are reported, never followed."""
    counter = iter(range(1 << 62))
    if not os.path.isdir(root):
        yield WalkItem(next(counter), os.path.basename(root))
        return
    yield from _walk_dir(root, b"", counter)


def _walk_dir(
    root: bytes, rel_dir: bytes, counter: Iterator[int]
) -> Iterator[WalkItem]:
    directory = os.path.join(root, rel_dir) if rel_dir else root
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        yield WalkItem(
            next(counter),
            rel_dir or b".",
            f"folder not readable: {exc.strerror or exc}",
        )
        return
    for name in names:
        rel = os.path.join(rel_dir, name) if rel_dir else name
        full = os.path.join(root, rel)
        try:
            info = os.lstat(full)
        except OSError as exc:
            yield WalkItem(next(counter), rel, f"cannot stat: {exc.strerror or exc}")
            continue
        if stat.S_ISLNK(info.st_mode):
            yield WalkItem(next(counter), rel, _symlink_problem(full))
        elif stat.S_ISDIR(info.st_mode):
            yield from _walk_dir(root, rel, counter)
        elif stat.S_ISREG(info.st_mode):
            yield WalkItem(next(counter), rel)
        else:
            yield WalkItem(
                next(counter), rel, "not a regular file (device, socket or pipe)"
            )


def _symlink_problem(path: bytes) -> str:
    target = os.readlink(path)
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop; not followed"
        return f"dangling symlink to {target.decode('utf-8', 'backslashreplace')}"
    return f"symlink to {target.decode('utf-8', 'backslashreplace')}; not followed"


def open_readonly(path: bytes) -> int:
    """A read-only descriptor; O_NOATIME where allowed, so reading leaves no trace."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    noatime = getattr(os, "O_NOATIME", 0)
    if noatime:
        try:
            return os.open(path, flags | noatime)
        except PermissionError:
            pass  # O_NOATIME needs ownership; fall back rather than fail
    return os.open(path, flags)
