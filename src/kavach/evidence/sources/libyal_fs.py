"""File systems The Sleuth Kit (as pytsk3 ships it) does not read: APFS and XFS.

pytsk3 has no APFS pool support and no XFS; the libyal bindings (pyfsapfs,
pyfsxfs) read both. An APFS container's volumes are volumes of their own
(``disk.dmg#p2#apfs1:/Users/x/a.jpg``); a file is found again by its identifier
(APFS) or inode number (XFS). Neither binding says which blocks are free, so the
free space to carve is what no listed file's extents cover (``Found.extents``).
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kavach.evidence.sources.image_formats import ImageError, Medium
from kavach.evidence.sources.streams import OffsetReader, Region

APFS, XFS = "apfs", "xfs"


def detect(head: bytes) -> str | None:
    """APFS (a container: ``NXSB`` at 32) or XFS (``XFSB`` at 0), or None."""
    if head[32:36] == b"NXSB":
        return APFS
    if head[:4] == b"XFSB":
        return XFS
    return None


@dataclass(frozen=True, slots=True)
class Found:
    """One regular file of such a file system, without its content."""

    path: bytes
    identifier: int
    size: int
    modified: float | None
    created: float | None
    # (byte offset, length) of each stretch of its data, from the start of the
    # XFS volume or the APFS container: what free-space carving leaves alone.
    extents: tuple[tuple[int, int], ...] = ()


_SPARSE = 0x1  # an extent flag of libfsapfs and libfsxfs: no data stored
Placer = Callable[[int], int]


def _extents(entry: Any, place: Placer) -> tuple[tuple[int, int], ...]:
    stretches = []
    for index in range(int(entry.number_of_extents or 0)):
        offset, length, flags = entry.get_extent(index)
        if not int(flags) & _SPARSE:
            stretches.append((place(int(offset)), int(length)))
    return tuple(stretches)


def placer(kind: str, reader: Medium) -> Placer:
    """Where an extent's offset, as the binding gives it, lies in the volume.

    libfsapfs gives byte offsets in the container. libfsxfs gives an XFS file
    system block number times the block size, and that number holds the
    allocation group in its high bits (``agno << agblklog | block in the group``),
    so it is a byte offset only where a group's size is a power of two.
    """
    if kind == APFS:
        return _as_given
    superblock = reader.read(0, 512)
    block_size = int.from_bytes(superblock[4:8], "big")
    group_blocks = int.from_bytes(superblock[84:88], "big")
    group_log = superblock[124]
    if not block_size or not group_blocks:
        raise ImageError("XFS superblock not readable (block or group size 0)")

    def place(offset: int) -> int:
        number = offset // block_size
        group, block = number >> group_log, number & ((1 << group_log) - 1)
        return (group * group_blocks + block) * block_size + offset % block_size

    return place


def apfs_volumes(reader: Medium) -> list[tuple[int, str, bool]]:
    """(number, name, locked) of each volume of the APFS container ``reader``."""
    container = _open(APFS, reader)
    try:
        return [
            (number, volume.name or "", bool(volume.is_locked()))
            for number, volume in enumerate(container.handle.volumes, 1)
        ]
    finally:
        container.close()


class Opened:
    """A libyal file system (or container) and what it reads through."""

    def __init__(self, handle: Any, keep: list[Any]) -> None:
        self.handle = handle
        self._keep = keep  # the region, the container of an APFS volume

    def close(self) -> None:
        for held in self._keep:
            try:
                held.close()
            except (OSError, RuntimeError, AttributeError):
                pass


def _open(kind: str, reader: Medium) -> Opened:
    region = Region(reader, 0, reader.size)
    try:
        if kind == APFS:
            import pyfsapfs

            handle = pyfsapfs.container()
        else:
            import pyfsxfs

            handle = pyfsxfs.volume()
        handle.open_file_object(region)
    except (OSError, RuntimeError) as exc:
        raise ImageError(f"{kind.upper()} file system not read: {exc}") from None
    return Opened(handle, [handle, region])


def open_file_system(kind: str, reader: Medium, volume: int = 0) -> Opened:
    """Where files are found: an APFS container's volume ``volume``, or XFS."""
    opened = _open(kind, reader)
    if kind != APFS:
        return opened
    try:
        inner = opened.handle.get_volume(volume - 1)
    except (OSError, RuntimeError, IndexError) as exc:
        opened.close()
        raise ImageError(f"APFS volume {volume} not read: {exc}") from None
    return Opened(inner, [opened])


def _as_given(offset: int) -> int:
    return offset


def files(root: Any, kind: str, place: Placer = _as_given) -> Iterator[Found]:
    """Every regular file below ``root`` (a file system's root directory), in
    name order, with where it is found again (its extents placed by ``place``)."""
    yield from _walk(root, kind, b"", set(), place)


def _walk(
    directory: Any, kind: str, parent: bytes, seen: set[int], place: Placer
) -> Iterator[Found]:
    entries = sorted(directory.sub_file_entries, key=lambda e: e.name or "")
    for entry in entries:
        name = (entry.name or "").encode("utf-8", "surrogateescape")
        path = parent + b"/" + name
        identifier = int(entry.identifier if kind == APFS else entry.inode_number)
        mode = int(entry.file_mode or 0)
        if stat.S_ISDIR(mode):
            if identifier not in seen:
                seen.add(identifier)
                yield from _walk(entry, kind, path, seen, place)
        elif stat.S_ISREG(mode):
            yield Found(
                path,
                identifier,
                int(entry.size),
                _seconds(entry.get_modification_time_as_integer(), kind),
                _seconds(entry.get_creation_time_as_integer(), kind),
                _extents(entry, place),
            )


def _seconds(value: int | None, kind: str) -> float | None:
    """APFS and XFS times as POSIX seconds (both count nanoseconds from 1970)."""
    if not value:
        return None
    return value / 1e9


def root_of(system: Opened) -> Any:
    return system.handle.get_root_directory()


def entry_by_id(system: Opened, kind: str, identifier: int) -> Any:
    if kind == APFS:
        return system.handle.get_file_entry_by_identifier(identifier)
    return system.handle.get_file_entry_by_inode(identifier)


class FileStream(OffsetReader):
    """A libyal file entry's content as a read-only, seekable stream."""

    def __init__(self, entry: Any) -> None:
        super().__init__(int(entry.size))
        self._entry = entry

    def read_at(self, offset: int, count: int) -> bytes:
        try:
            return bytes(self._entry.read_buffer_at_offset(count, offset))
        except (OSError, RuntimeError) as exc:
            raise OSError(f"content not readable: {exc}") from None
