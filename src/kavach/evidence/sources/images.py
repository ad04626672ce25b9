"""Opening disk images read-only for The Sleuth Kit, whatever stores them.

pytsk3 cannot open most containers itself (it silently treats an E01 or a VMDK as
raw), so every image is handed to it as an ``Img_Info`` subclass whose reads a
``Medium`` serves (``image_formats``). A compressed image (``disk.raw.gz``) is
decompressed as it is read (``compressed``), and its inside recognised again.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from typing import BinaryIO

import pytsk3

from kavach.evidence.sources.compressed import (
    CompressedError,
    Decompressed,
    compression_of,
    decompressed_head,
)
from kavach.evidence.sources.image_formats import (
    EWF_SIGNATURE,
    LOOK_HEAD,
    FormatRegistry,
    ImageError,
    Look,
    Medium,
    default_formats,
    segments,
)
from kavach.evidence.sources.streams import OffsetReader

__all__ = [
    "ImageError",
    "TskImage",
    "is_ewf",
    "looks_like_disk",
    "open_image",
    "segments",
]


def is_ewf(head: bytes) -> bool:
    return head.startswith(EWF_SIGNATURE)


def looks_like_disk(head: bytes) -> bool:
    """A partition table or a file system The Sleuth Kit reads starts ``head``.

    ``head`` must hold the first 4 KiB, and up to 0x8006 to see ISO 9660's mark.
    """
    if len(head) >= 512 and head[510:512] == b"\x55\xaa":
        boot = head[:512]
        fat = b"FAT" in boot[0x36:0x3E] or b"FAT32" in boot[0x52:0x5A]
        ntfs = boot[3:11] in (b"NTFS    ", b"EXFAT   ", b"-FVE-FS-")
        mbr = _plausible_mbr(boot)
        if fat or ntfs or mbr:
            return True
    if head[512:520] == b"EFI PART":
        return True
    if len(head) >= 1082 and head[1080:1082] == b"\x53\xef":  # ext2/3/4
        return True
    if head[1024:1026] in (b"H+", b"HX"):  # HFS+
        return True
    if head[0x8001:0x8006] == b"CD001":  # ISO 9660
        return True
    if head[32:36] == b"NXSB" or head[:4] == b"XFSB":  # APFS container, XFS
        return True
    if head[512:520] == b"LABELONE":  # an LVM2 physical volume
        return True
    return head.startswith((b"LUKS\xba\xbe", b"SKUL\xba\xbe"))


def _plausible_mbr(boot: bytes) -> bool:
    entries = [boot[446 + 16 * i : 462 + 16 * i] for i in range(4)]
    used = [e for e in entries if e[4] != 0]
    return bool(used) and all(e[0] in (0x00, 0x80) for e in entries)


class TskImage(pytsk3.Img_Info):  # type: ignore[misc]
    """A ``Medium`` served to The Sleuth Kit."""

    def __init__(self, medium: Medium) -> None:
        self.medium = medium
        self.kind = medium.kind
        self.segment_files = medium.segment_files
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def close(self) -> None:
        self.medium.close()

    def read(self, offset: int, size: int) -> bytes:
        return self.medium.read(offset, size)

    def get_size(self) -> int:
        return self.medium.size

    def header(self) -> dict[str, str]:
        return self.medium.header()

    def stored_hashes(self) -> dict[str, str]:
        return self.medium.stored_hashes()


@cache
def formats() -> FormatRegistry:
    return default_formats()


def open_image(path: bytes) -> TskImage:
    """The disk stored in the file at ``path``, ready for The Sleuth Kit."""
    try:
        look = Look.of_file(path)
    except OSError as exc:
        raise ImageError(f"image not readable: {exc.strerror or exc}") from None
    compression = compression_of(look.head)
    if compression is not None:
        return TskImage(_open_compressed(path, compression))
    fmt = formats().detect(look) or formats().get("raw")
    return TskImage(fmt.open(path))


def open_image_stream(
    open_stream: Callable[[], BinaryIO], name: bytes, max_expanded: int | None = None
) -> TskImage:
    """The disk held in a seekable stream (a member of an archive, a file inside
    another disk image), read in place: nothing is written out. A compressed one
    may decompress to ``max_expanded`` bytes at most."""
    stream = open_stream()
    try:
        head = stream.read(LOOK_HEAD)
        compression = compression_of(head)
        if compression is not None:
            return TskImage(
                _decompressed_medium(open_stream, name, compression, max_expanded)
            )
        stream.seek(0)
        look = Look.of_stream(stream, name)
        fmt = formats().detect(look) or formats().get("raw")
        return TskImage(fmt.open_stream(stream, name))
    except OSError as exc:
        raise ImageError(f"image not readable: {exc.strerror or exc}") from None


class _MediumFile(OffsetReader):
    """A ``Decompressed`` as a seekable file, for formats that read streams."""

    def __init__(self, data: Decompressed) -> None:
        super().__init__(data.size)
        self._data = data

    def read_at(self, offset: int, count: int) -> bytes:
        return self._data.read(offset, count)

    def close(self) -> None:
        self._data.close()
        super().close()


def _open_compressed(path: bytes, kind: str) -> Medium:
    """A ``.gz`` / ``.xz`` / ``.bz2`` image: the inside, recognised again."""
    return _decompressed_medium(lambda: open(path, "rb"), path, kind)  # noqa: SIM115


def _decompressed_medium(
    open_file: Callable[[], BinaryIO],
    name: bytes,
    kind: str,
    limit: int | None = None,
) -> Medium:
    try:
        data = Decompressed(open_file, kind, limit)
    except (CompressedError, OSError) as exc:
        raise ImageError(f"compressed image ({kind}) not read: {exc}") from None
    stream = _MediumFile(data)
    inner = Look.of_stream(stream)  # type: ignore[arg-type]
    fmt = formats().detect(inner) or formats().get("raw")
    medium = fmt.open_stream(stream, name)  # type: ignore[arg-type]
    medium.kind = f"{medium.kind}+{kind}"
    return medium


def compressed_disk(head: bytes, handle: BinaryIO) -> str | None:
    """``gzip`` / ``xz`` / ``bzip2`` when ``handle`` holds a compressed disk image."""
    kind = compression_of(head)
    if kind is None:
        return None
    handle.seek(0)
    inner = decompressed_head(handle, kind)
    look = Look(inner, b"", b"")
    if looks_like_disk(inner) or formats().detect(look) is not None:
        return kind
    return None


def describe_disk(stream: BinaryIO) -> str | None:
    """What disk image ``stream`` holds ("a VMDK image", "a gzip-compressed disk
    image"), or None when it is no disk image Kavach knows."""
    head = stream.read(LOOK_HEAD)
    size = stream.seek(0, io.SEEK_END)
    stream.seek(max(size - 512, 0))
    tail = stream.read(512)  # DMG and fixed VHD say what they are at the end
    return _described(head, stream, Look(head, tail, b""))


def describe_head(head: bytes) -> str | None:
    """The same from a file's first bytes alone: formats known only by their last
    bytes (DMG, fixed VHD) are not told."""
    head = head[:LOOK_HEAD]
    return _described(head, io.BytesIO(head), Look(head, b"", b""))


def _described(head: bytes, stream: BinaryIO, look: Look) -> str | None:
    kind = compression_of(head)
    if kind is not None:
        stream.seek(0)
        return (
            f"a {kind}-compressed disk image" if compressed_disk(head, stream) else None
        )
    fmt = formats().detect(look)
    if fmt is not None:
        return f"a {fmt.description}"
    return "a disk image" if looks_like_disk(head) else None
