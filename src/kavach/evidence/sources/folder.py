"""Folders on this machine's disks, listed read-only and sorted, one level a call.

The scan plan (``evidence/inventory.py``) descends into each sub-folder in turn, so
the order never changes between runs: a resumed scan skips exactly the items the
checkpoint says were committed. Symlinks are reported, never followed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

from kavach.evidence.refs import PathSpec
from kavach.evidence.sources.interface import (
    Container,
    Entry,
    EvidenceSource,
    Origin,
    Probe,
)


class FolderSource(EvidenceSource):
    name = "folder"
    description = "a folder (or a single file) on this machine's disks"
    planned = True
    folders = True

    def recognise(self, probe: Probe) -> int:
        return 1  # any folder; more specific folder sources (iOS backups) score more

    def entries(self, container: Container) -> Iterator[Entry]:
        """The files and sub-folders directly in the folder (or the lone file)."""
        root = container.local_path
        assert root is not None, "a folder is always on this machine"
        if not os.path.isdir(root):
            yield Entry(container.spec, self.name, root)
            return
        try:
            names = sorted(os.listdir(root))
        except OSError as exc:
            yield self._problem(container.spec, f"folder not readable: {_why(exc)}")
            return
        for name in names:
            full = os.path.join(root, name)
            spec = container.spec.descend(name)
            try:
                info = os.lstat(full)
            except OSError as exc:
                yield self._problem(spec, f"cannot stat: {_why(exc)}")
                continue
            if stat.S_ISLNK(info.st_mode):
                yield self._problem(spec, _symlink_problem(full))
            elif stat.S_ISDIR(info.st_mode):
                yield Entry(spec, self.name, full, folder=True)
            elif stat.S_ISREG(info.st_mode):
                # Linux keeps no birth time that os.stat shows: created stays None.
                yield Entry(
                    spec,
                    self.name,
                    full,
                    origin=Origin(modified=info.st_mtime),
                    size=info.st_size,
                )
            else:
                yield self._problem(spec, "not a regular file (device, socket or pipe)")

    def open(self, entry: Entry) -> BinaryIO:
        return os.fdopen(open_readonly(entry.locator), "rb")

    def local_path(self, entry: Entry) -> bytes | None:
        return entry.locator if isinstance(entry.locator, bytes) else None

    def _problem(self, spec: PathSpec, reason: str) -> Entry:
        if not spec.name:
            spec = spec.with_name(b".")  # the scanned folder itself
        return Entry(spec, self.name, problem=reason)


def _why(exc: OSError) -> str:
    return str(exc.strerror or exc)


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
