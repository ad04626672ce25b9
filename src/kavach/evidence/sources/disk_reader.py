"""Reading inside disk images in a worker: files by inode, and carving.

Files are read straight from the image through The Sleuth Kit (nothing is copied
out). Carving looks for JPEG and PNG signatures in unallocated space and cuts each
picture at its end marker.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pytsk3

from kavach.evidence.keys import NO_KEYS, KeyRing
from kavach.evidence.sources import libyal_fs
from kavach.evidence.sources.disk import DiskEntry
from kavach.evidence.sources.images import ImageError, TskImage, open_image
from kavach.evidence.sources.layers import Slice, VolumeLayer, open_chain
from kavach.evidence.sources.streams import OffsetReader

CARVE_MAX = 32 * 1024**2
_JPEG_START, _JPEG_END = b"\xff\xd8\xff", b"\xff\xd9"
_PNG_START, _PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"


class _TskStream(OffsetReader):
    """A file (or one NTFS stream of it) inside a file system, read-only."""

    def __init__(
        self,
        file: pytsk3.File,
        size: int,
        attr_type: int | None = None,
        attr_id: int | None = None,
    ) -> None:
        super().__init__(size)
        self._file = file
        # One NTFS stream, or the file's default data.
        known = attr_type is not None and attr_id is not None
        self._attr: tuple[int | None, ...] = (attr_type, attr_id) if known else ()

    def read_at(self, offset: int, count: int) -> bytes:
        data = self._file.read_random(offset, count, *self._attr)
        if not data:
            raise OSError("no data at this offset (content not recoverable)")
        return bytes(data)


class DiskReader:
    """Opened images and file systems of one worker, reused across entries."""

    def __init__(self, keys: KeyRing = NO_KEYS) -> None:
        self._keys = keys
        self._images: dict[bytes, pytsk3.Img_Info] = {}
        self._inner: dict[_VolumeKey, TskImage] = {}  # volumes under layers
        self._systems: dict[_VolumeKey, pytsk3.FS_Info] = {}
        self._other: dict[tuple[object, ...], libyal_fs.Opened] = {}  # APFS, XFS

    def _image(self, path: bytes) -> pytsk3.Img_Info:
        if path not in self._images:
            self._images[path] = open_image(path)
        return self._images[path]

    def attach(self, key: bytes, image: TskImage) -> None:
        """Read entries naming ``key`` from ``image``, an image opened from a
        stream (inside an archive or another disk image), not from a file."""
        self._images[key] = image

    def detach(self, key: bytes) -> None:
        """Forget an attached image and everything opened inside it."""
        for volume in [k for k in self._systems if k[0] == key]:
            del self._systems[volume]
        for other in [k for k in self._other if k[0] == key]:
            self._other.pop(other).close()
        for layered in [k for k in self._inner if k[0] == key]:
            self._inner.pop(layered).close()
        image = self._images.pop(key, None)
        if image is not None:
            image.close()

    def _volume(self, entry: DiskEntry) -> tuple[pytsk3.Img_Info, int]:
        """The image a volume's file system is read from, and where it starts:
        the disk itself, or the volume its layers reach (an unlocked BitLocker
        volume, an LVM2 logical volume, a shadow copy)."""
        image = self._image(entry.image)
        if not entry.layers:
            return image, entry.volume_offset
        key = _key(entry)
        if key not in self._inner:
            try:
                self._inner[key] = open_chain(
                    image,
                    entry.volume_offset,
                    entry.volume_length,
                    entry.layers,
                    self._keys,
                )
            except ImageError as exc:
                raise OSError(str(exc)) from None
        return self._inner[key], 0

    def open(self, entry: DiskEntry) -> BinaryIO:
        """The content of a listed file, streamed from the image."""
        if entry.fs_kind:
            return self._open_other(entry)
        key = _key(entry)
        if key not in self._systems:
            image, offset = self._volume(entry)
            self._systems[key] = pytsk3.FS_Info(image, offset=offset)
        assert entry.inode is not None
        file = self._systems[key].open_meta(inode=entry.inode)
        stream = _TskStream(file, entry.size, entry.attr_type, entry.attr_id)
        return io.BufferedReader(stream, buffer_size=1 << 20)

    def _open_other(self, entry: DiskEntry) -> BinaryIO:
        """A file of an APFS or XFS volume, found again by its identifier."""
        key = (*_key(entry), entry.fs_kind, entry.fs_volume)
        if key not in self._other:
            image, offset = self._volume(entry)
            reader = Slice(image, offset, entry.volume_length)
            try:
                self._other[key] = libyal_fs.open_file_system(
                    entry.fs_kind, reader, entry.fs_volume
                )
            except ImageError as exc:
                raise OSError(str(exc)) from None
        assert entry.inode is not None
        try:
            found = libyal_fs.entry_by_id(self._other[key], entry.fs_kind, entry.inode)
        except (OSError, RuntimeError) as exc:
            raise OSError(f"file {entry.inode} not found again: {exc}") from None
        return io.BufferedReader(libyal_fs.FileStream(found), buffer_size=1 << 20)

    def carve(self, entry: DiskEntry) -> Iterator[Carved]:
        """Pictures whose signature starts in this stretch of unallocated space."""
        assert entry.carve_start is not None and entry.carve_length is not None
        image, offset = self._volume(entry)
        base = offset + entry.carve_start
        # Read past the stretch's end, so a picture that starts inside may finish.
        limit = min(entry.carve_length + CARVE_MAX, image.get_size() - base)
        data = image.read(base, limit)
        # Offsets are from the disk's start; inside a layered volume, from its own.
        yield from carve_bytes(data, entry.carve_length, base)

    def close(self) -> None:
        for system in self._other.values():
            system.close()
        for image in [*self._inner.values(), *self._images.values()]:
            image.close()


_VolumeKey = tuple[bytes, int, tuple[VolumeLayer, ...]]


def _key(entry: DiskEntry) -> _VolumeKey:
    return entry.image, entry.volume_offset, entry.layers


@dataclass(frozen=True, slots=True)
class Carved:
    offset: int  # bytes from the start of the image
    kind: str  # "jpg" or "png"
    data: bytes


def carve_bytes(data: bytes, starts_before: int, base: int) -> Iterator[Carved]:
    """JPEG and PNG files in ``data`` that start before ``starts_before``."""
    for start_magic, end_magic, kind in (
        (_JPEG_START, _JPEG_END, "jpg"),
        (_PNG_START, _PNG_END, "png"),
    ):
        position = data.find(start_magic)
        while 0 <= position < starts_before:
            limit = min(position + CARVE_MAX, len(data))
            stop = jpeg_end(data, position, limit) if kind == "jpg" else None
            if stop is None:
                end = data.find(end_magic, position + len(start_magic), limit)
                if end < 0:
                    position = data.find(start_magic, position + 1)
                    continue
                stop = end + len(end_magic)
            yield Carved(base + position, kind, data[position:stop])
            position = data.find(start_magic, stop)


def jpeg_end(data: bytes, start: int, limit: int) -> int | None:
    """Where the JPEG starting at ``start`` ends, by walking its segments.

    The first end-of-image marker is often the EXIF thumbnail's, inside the APP1
    segment: skipping each segment by its length finds the picture's own end.
    None when the bytes are not a well-formed JPEG (the caller then cuts at the
    first marker, as before).
    """
    position = start + 2
    while position + 2 <= limit:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
        elif marker == 0xD9:  # end of image
            return position + 2
        elif marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # no length
            position += 2
        elif position + 4 > limit:
            return None
        else:
            end = position + 2 + int.from_bytes(data[position + 2 : position + 4])
            following = _after_scan(data, end, limit) if marker == 0xDA else end
            if following is None:
                return None
            position = following
    return None


def _after_scan(data: bytes, position: int, limit: int) -> int | None:
    """The next marker after a scan's entropy-coded data (0xFF00 is a stuffed
    byte, 0xFFD0-D7 restart markers belong to the scan)."""
    while True:
        position = data.find(b"\xff", position, limit)
        if position < 0 or position + 1 >= limit:
            return None
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
        elif following == 0xFF:
            position += 1
        else:
            return position
