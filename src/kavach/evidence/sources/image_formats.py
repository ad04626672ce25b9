"""Disk image formats: how the bytes of a seized disk are stored in a file.

An ``ImageFormat`` recognises its files from a ``Look`` (the first 64 KiB, the last
512 bytes, the name) and opens one as a ``Medium``: the disk's bytes, read at any
offset, whatever the container does underneath (EWF chunks, VMDK grains, QCOW
clusters, DMG's compressed runs, Android's sparse chunks). Volumes and file systems
are read from the medium by The Sleuth Kit (``images.TskImage``).

The container formats are read by the libyal bindings (pyvmdk, pyvhdi, pyqcow,
pymodi, pyphdi; see docs/decisions/0009): Kavach never converts an image or writes
it out. Android sparse images are read here, from the documented chunk format.
Differential images (a VHD / VMDK / QCOW2 child) are opened with their parent
found beside them; a missing parent is an ``ImageError`` naming it.

Adding a format: subclass ``ImageFormat``, register it in ``default_formats`` and
give the contract test a sample (docs/extending/evidence-sources.md).
"""

from __future__ import annotations

import glob
import io
import os
import re
import struct
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

LOOK_HEAD = 64 * 1024
EWF_SIGNATURE = b"EVF\x09\x0d\x0a\xff\x00"
_SPLIT = re.compile(rb"\.(\d{3})$")


class ImageError(Exception):
    """An image that cannot be opened (missing segment or parent, corrupt header)."""


@dataclass(frozen=True)
class Look:
    """What a format may look at to recognise a file."""

    head: bytes  # the first 64 KiB (fewer for a short file)
    tail: bytes  # the last 512 bytes
    path: bytes  # where the file lies; b"" for a stream (inside a compressed file)

    @classmethod
    def of_file(cls, path: bytes) -> Look:
        with open(path, "rb") as handle:
            return cls.of_stream(handle, path)

    @classmethod
    def of_stream(cls, handle: BinaryIO, path: bytes = b"") -> Look:
        head = handle.read(LOOK_HEAD)
        size = handle.seek(0, io.SEEK_END)
        handle.seek(max(size - 512, 0))
        tail = handle.read(512)
        handle.seek(0)
        return cls(head, tail, path)


class Medium(ABC):
    """The bytes of one disk, however its image stores them; read-only."""

    kind: str  # the format's name: "raw", "ewf", "vmdk" ...
    size: int
    segment_files: list[bytes]  # every file the image is made of, for the record

    @abstractmethod
    def read(self, offset: int, size: int) -> bytes: ...

    def close(self) -> None:
        return None

    def header(self) -> dict[str, str]:
        """What the image says of its acquisition (E01: case number, examiner)."""
        return {}

    def stored_hashes(self) -> dict[str, str]:
        """Hashes of the media the image stores (E01: MD5, SHA-1)."""
        return {}


class ImageFormat(ABC):
    """A way of storing a disk in a file."""

    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def recognise(self, look: Look) -> bool:
        """Whether ``look`` is the start (or the part that opens) of this format."""

    @abstractmethod
    def open(self, path: bytes) -> Medium:
        """The disk in the file at ``path``; ``ImageError`` when it cannot be."""

    def open_stream(self, stream: BinaryIO, name: bytes) -> Medium:
        """The disk in a seekable stream (a decompressed ``.gz``)."""
        raise ImageError(
            f"a {self.name} image is read only from a file of its own, not from "
            "inside a compressed file or an archive"
        )

    def part_of_another(self, look: Look) -> bool:
        """A later piece of an image that is opened through its first file (E02,
        a VMDK extent, split raw .002): never listed on its own."""
        return False


class FormatRegistry:
    """Image formats by name; ``detect`` picks the one that recognises a file."""

    def __init__(self) -> None:
        self._formats: dict[str, ImageFormat] = {}
        # The formats with pieces of their own (E02, .002, VMDK extents): the walk
        # asks every file of a phone, so the others are not asked at all.
        self._pieced: list[ImageFormat] = []

    def register(self, fmt: ImageFormat) -> None:
        if fmt.name in self._formats:
            raise ValueError(f"image format {fmt.name!r} registered twice")
        self._formats[fmt.name] = fmt
        if type(fmt).part_of_another is not ImageFormat.part_of_another:
            self._pieced.append(fmt)

    def names(self) -> list[str]:
        return list(self._formats)

    def all(self) -> list[ImageFormat]:
        return list(self._formats.values())

    def get(self, name: str) -> ImageFormat:
        return self._formats[name]

    def detect(self, look: Look) -> ImageFormat | None:
        """The first registered format (in order) that recognises ``look``."""
        for fmt in self._formats.values():
            if fmt.recognise(look):
                return fmt
        return None

    def is_part(self, look: Look) -> bool:
        for fmt in self._pieced:
            if fmt.part_of_another(look):
                return True
        return False


# --- raw and split raw ------------------------------------------------------------


def segments(path: bytes) -> list[bytes]:
    """The files of a split raw image (``x.001``, ``x.002`` ...), or just ``path``."""
    match = _SPLIT.search(path)
    if not match:
        return [path]
    stem = path[: match.start()]
    found = sorted(glob.glob(glob.escape(stem) + b".[0-9][0-9][0-9]"))
    return found or [path]


class RawMedium(Medium):
    """A raw image, possibly split into numbered segments."""

    kind = "raw"

    def __init__(self, path: bytes) -> None:
        self.segment_files = segments(path)
        self._parts: list[tuple[int, int, Any]] = []
        offset = 0
        for segment in self.segment_files:
            size = os.path.getsize(segment)
            self._parts.append((offset, size, open(segment, "rb")))  # noqa: SIM115
            offset += size
        self.size = offset

    def close(self) -> None:
        for _, _, handle in self._parts:
            handle.close()

    def read(self, offset: int, size: int) -> bytes:
        chunks = []
        for start, length, handle in self._parts:
            if offset >= start + length or offset + size <= start:
                continue
            inner = max(offset - start, 0)
            handle.seek(inner)
            chunks.append(
                handle.read(min(length - inner, offset + size - start - inner))
            )
        return b"".join(chunks)


class StreamMedium(Medium):
    """A raw disk held in a seekable stream (the inside of a compressed file)."""

    kind = "raw"

    def __init__(self, stream: BinaryIO, size: int, files: list[bytes]) -> None:
        self._stream = stream
        self.size = size
        self.segment_files = files

    def read(self, offset: int, size: int) -> bytes:
        self._stream.seek(offset)
        return self._stream.read(size)

    def close(self) -> None:
        self._stream.close()


class RawFormat(ImageFormat):
    """What every file is when nothing else recognises it: the disk itself."""

    name = "raw"
    description = "raw (dd) and split raw (.001, .002 ...) images"

    def recognise(self, look: Look) -> bool:
        return False  # the fallback, never detected

    def open(self, path: bytes) -> Medium:
        return RawMedium(path)

    def open_stream(self, stream: BinaryIO, name: bytes) -> Medium:
        size = stream.seek(0, io.SEEK_END)
        return StreamMedium(stream, size, [name])

    def part_of_another(self, look: Look) -> bool:
        match = _SPLIT.search(look.path)
        return match is not None and match.group(1) != b"001"


# --- EWF (EnCase E01) -------------------------------------------------------------


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.split(". ")[0].splitlines()[0] if text else type(exc).__name__


class EwfMedium(Medium):
    """An E01 (and its E02... segments) read through pyewf."""

    kind = "ewf"

    def __init__(self, path: bytes, stream: BinaryIO | None = None) -> None:
        """The E01 at ``path`` with its segments beside it, or (``stream``) one
        E01 held in a stream, such as a member of an archive."""
        import pyewf

        try:
            self.handle = pyewf.handle()
            if stream is None:
                files = pyewf.glob(os.fsdecode(path))
                self.handle.open(files)
            else:
                files = [os.fsdecode(path)]
                self.handle.open_file_objects([stream])
        except (OSError, RuntimeError) as exc:
            raise ImageError(f"E01 not opened: {_first_line(exc)}") from None
        try:  # a missing later segment only shows when its data is read
            self.handle.seek(max(self.handle.get_media_size() - 1, 0))
            self.handle.read(1)
        except (OSError, RuntimeError) as exc:
            self.handle.close()
            raise ImageError(
                f"E01 not opened (a segment is missing or damaged): {_first_line(exc)}"
            ) from None
        self.segment_files = [os.fsencode(f) for f in files]
        self.size = int(self.handle.get_media_size())

    def close(self) -> None:
        self.handle.close()

    def read(self, offset: int, size: int) -> bytes:
        self.handle.seek(offset)
        return bytes(self.handle.read(size))

    def header(self) -> dict[str, str]:
        values = {}
        for key in (
            "case_number",
            "description",
            "examiner_name",
            "evidence_number",
            "notes",
            "acquiry_date",
            "system_date",
            "acquiry_software_version",
        ):
            value = self.handle.get_header_value(key)
            if value:
                values[key] = str(value)
        return values

    def stored_hashes(self) -> dict[str, str]:
        values = {}
        for name in ("MD5", "SHA1"):
            value = self.handle.get_hash_value(name)
            if value:
                values[name.lower()] = str(value).lower()
        return values


class EwfFormat(ImageFormat):
    name = "ewf"
    description = "EnCase / EWF images (.E01 and its .E02 ... segments)"

    def recognise(self, look: Look) -> bool:
        return look.head.startswith(EWF_SIGNATURE) and _segment_number(look) == 1

    def part_of_another(self, look: Look) -> bool:
        return look.head.startswith(EWF_SIGNATURE) and _segment_number(look) != 1

    def open(self, path: bytes) -> Medium:
        return EwfMedium(path)

    def open_stream(self, stream: BinaryIO, name: bytes) -> Medium:
        return EwfMedium(name, stream)


def _segment_number(look: Look) -> int:
    return int.from_bytes(look.head[9:11], "little")


# --- the libyal container formats -------------------------------------------------


class LibyalMedium(Medium):
    """A disk served by a libyal handle (pyvmdk, pyvhdi, pyqcow, pymodi, pyphdi)."""

    def __init__(
        self, kind: str, handle: Any, files: list[bytes], keep: list[Any]
    ) -> None:
        self.kind = kind
        self._handle = handle
        self._keep = keep  # parents and file objects the handle reads through
        self.segment_files = files
        sized = getattr(handle, "get_media_size", None) or handle.get_size
        self.size = int(sized())  # volumes (pybde, pyluksde) say get_size

    def read(self, offset: int, size: int) -> bytes:
        size = max(min(size, self.size - offset), 0)
        try:
            return bytes(self._handle.read_buffer_at_offset(size, offset))
        except (OSError, RuntimeError) as exc:
            raise OSError(
                f"{self.kind} image not readable at {offset:,}: {exc}"
            ) from None

    def close(self) -> None:
        for handle in [self._handle, *self._keep]:
            try:
                handle.close()
            except (OSError, RuntimeError, AttributeError):
                pass


def _sibling(path: bytes, named: str) -> bytes | None:
    """The file a differential image names as its parent, looked for beside it.

    Images name their parent by the path on the acquiring machine (often a
    Windows path); only the file name is trusted.
    """
    base = re.split(r"[\\/]", named)[-1]
    candidate = os.path.join(os.path.dirname(path), os.fsencode(base))
    return candidate if base and os.path.isfile(candidate) else None


# A differential chain deeper than this is refused, not followed (real chains of
# snapshots are a handful deep).
MAX_PARENTS = 64
_OPENING: ContextVar[tuple[bytes, ...]] = ContextVar("opening_parents", default=())


class _Libyal(ImageFormat):
    """The shape the libyal bindings share: open, maybe a parent, read at offsets."""

    def _handle(self) -> Any:
        raise NotImplementedError

    def open(self, path: bytes) -> Medium:
        handle = self._handle()
        keep: list[Any] = []
        files = [path]
        try:
            handle.open(os.fsdecode(path))
            files += self._after_open(handle, path, keep)
            medium = LibyalMedium(self.name, handle, files, keep)
            medium.read(0, 512)  # a damaged table shows here, not later in TSK
        except (OSError, RuntimeError, ValueError, ImageError) as exc:
            for opened in [handle, *keep]:
                try:
                    opened.close()
                except (OSError, RuntimeError):
                    pass
            if isinstance(exc, ImageError):
                raise
            raise ImageError(
                f"{self.description} not opened: {_first_line(exc)}"
            ) from None
        return medium

    def open_stream(self, stream: BinaryIO, name: bytes) -> Medium:
        handle = self._handle()
        try:
            handle.open_file_object(stream)
            self._after_open_stream(handle, stream)
            medium = LibyalMedium(self.name, handle, [name], [stream])
            medium.read(0, 512)
            return medium
        except (OSError, RuntimeError, ValueError) as exc:
            handle.close()
            raise ImageError(
                f"{self.description} not opened: {_first_line(exc)}"
            ) from None
        except ImageError:
            handle.close()
            raise

    def _after_open(self, handle: Any, path: bytes, keep: list[Any]) -> list[bytes]:
        """Open extents and parents; return the other files read."""
        return []

    def _after_open_stream(self, handle: Any, stream: BinaryIO) -> None:
        """What an image held in a stream needs after opening (its one extent);
        ``ImageError`` when it needs files a stream cannot give (a parent)."""
        return None

    def _parent(
        self, path: bytes, named: str | None, what: str
    ) -> tuple[bytes, Any] | None:
        """The opened parent of a differential image, or ``ImageError``."""
        if not named:
            return None
        parent_path = _sibling(path, named)
        if parent_path is None:
            base = re.split(r"[\\/]", named)[-1]
            raise ImageError(
                f"{what}: a differential image whose parent {base!r} is not "
                "beside it; put the parent image in the same folder"
            )
        if os.path.samefile(parent_path, path):
            raise ImageError(f"{what}: names itself as its own parent (damaged)")
        # The images being opened below this one (a child opens its parent
        # inside its own open): a parent already among them is a loop.
        chain = (*_OPENING.get(), os.path.realpath(path))
        if os.path.realpath(parent_path) in chain:
            base = os.fsdecode(os.path.basename(parent_path))
            raise ImageError(
                f"{what}: its chain of parents loops back to {base!r} (damaged)"
            )
        if len(chain) >= MAX_PARENTS:
            raise ImageError(f"{what}: more than {MAX_PARENTS} parents in its chain")
        opening = _OPENING.set(chain)
        try:
            parent = self.open(parent_path)
        finally:
            _OPENING.reset(opening)
        return parent_path, parent


class VmdkFormat(_Libyal):
    name = "vmdk"
    description = "VMware VMDK image"

    def recognise(self, look: Look) -> bool:
        head = look.head
        return (
            head[:4] in (b"KDMV", b"COWD")
            and not _is_vmdk_extent(look)
            or (head.startswith(b"# Disk DescriptorFile"))
        )

    def part_of_another(self, look: Look) -> bool:
        return _is_vmdk_extent(look)

    def _handle(self) -> Any:
        import pyvmdk

        return pyvmdk.handle()

    def _after_open(self, handle: Any, path: bytes, keep: list[Any]) -> list[bytes]:
        try:
            handle.open_extent_data_files()
        except (OSError, RuntimeError) as exc:
            raise ImageError(
                f"VMDK image: an extent file it names is missing or damaged "
                f"({_first_line(exc)})"
            ) from None
        folder = os.path.dirname(path)
        files = []
        for extent in handle.extent_descriptors:
            name = extent.filename
            if name and os.fsencode(name) != os.path.basename(path):
                files.append(os.path.join(folder, os.fsencode(name)))
        parent = self._parent(path, handle.parent_filename, "VMDK image")
        if parent is not None:
            handle.set_parent(parent[1]._handle)
            keep.append(parent[1])
            files.append(parent[0])
        return files

    def _after_open_stream(self, handle: Any, stream: BinaryIO) -> None:
        extents = list(handle.extent_descriptors)
        if len(extents) != 1:
            raise ImageError(
                f"VMDK image made of {len(extents)} extent files: read only from "
                "files of its own; extract them together and scan the folder"
            )
        if handle.parent_filename:
            raise ImageError(_NO_PARENT_IN_STREAM.format(what="VMDK image"))
        # A monolithic sparse VMDK is its own extent.
        handle.open_extent_data_files_as_file_objects([stream])


# A differential image's parent is found beside its file; a stream has no "beside".
_NO_PARENT_IN_STREAM = (
    "{what}: a differential image, whose parent cannot be found from inside an "
    "archive or another image; extract both and scan the folder"
)

_VMDK_EXTENT = re.compile(rb"-(?:flat|[sf]\d{3})\.vmdk$", re.IGNORECASE)


def _is_vmdk_extent(look: Look) -> bool:
    """An extent (``x-s001.vmdk``, ``x-flat.vmdk``) whose descriptor ``x.vmdk``
    lies beside it: read through the descriptor, not on its own."""
    match = _VMDK_EXTENT.search(look.path)
    if match is None:
        return False
    descriptor = look.path[: match.start()] + look.path[match.end() - 5 :]
    return os.path.isfile(descriptor)


class VhdFormat(_Libyal):
    name = "vhd"
    description = "Microsoft VHD / VHDX image"

    def recognise(self, look: Look) -> bool:
        return (
            look.head[:8] in (b"conectix", b"vhdxfile") or look.tail[:8] == b"conectix"
        )

    def _handle(self) -> Any:
        import pyvhdi

        return pyvhdi.file()

    def _after_open(self, handle: Any, path: bytes, keep: list[Any]) -> list[bytes]:
        named = handle.parent_filename if handle.disk_type == 4 else None  # 4: diff
        parent = self._parent(path, named, "VHD image")
        if parent is None:
            return []
        parent_medium = parent[1]
        handle.set_parent(parent_medium._handle)
        keep.append(parent_medium)
        return [parent[0], *parent_medium.segment_files[1:]]

    def _after_open_stream(self, handle: Any, stream: BinaryIO) -> None:
        if handle.disk_type == 4:
            raise ImageError(_NO_PARENT_IN_STREAM.format(what="VHD image"))


class QcowFormat(_Libyal):
    name = "qcow"
    description = "QEMU QCOW / QCOW2 image"

    def recognise(self, look: Look) -> bool:
        return look.head[:4] == b"QFI\xfb"

    def _handle(self) -> Any:
        import pyqcow

        return pyqcow.file()

    def _after_open(self, handle: Any, path: bytes, keep: list[Any]) -> list[bytes]:
        if handle.is_locked():
            raise ImageError(
                "QCOW image encrypted with a password (give it with --key)"
            )
        parent = self._parent(path, handle.backing_filename, "QCOW image")
        if parent is None:
            return []
        handle.set_parent(parent[1]._handle)
        keep.append(parent[1])
        return [parent[0]]

    def _after_open_stream(self, handle: Any, stream: BinaryIO) -> None:
        if handle.is_locked():
            raise ImageError("QCOW image encrypted with a password")
        if handle.backing_filename:
            raise ImageError(_NO_PARENT_IN_STREAM.format(what="QCOW image"))


class DmgFormat(_Libyal):
    name = "dmg"
    description = "Apple disk image (UDIF .dmg, compressed or not; .sparseimage)"

    def recognise(self, look: Look) -> bool:
        return look.tail[:4] == b"koly" or look.head[:4] == b"sprs"

    def _handle(self) -> Any:
        import pymodi

        return pymodi.handle()


class ParallelsFormat(_Libyal):
    name = "parallels"
    description = "Parallels disk image (.hdd: DiskDescriptor.xml and its .hds)"

    def recognise(self, look: Look) -> bool:
        return os.path.basename(look.path) == b"DiskDescriptor.xml" and (
            b"<Parallels_disk_image" in look.head
        )

    def open(self, path: bytes) -> Medium:
        """One expanding data file (what Parallels and qemu-img write) is read by
        Kavach, whose reader knows both header versions (libphdi reads only the
        first); snapshots and split storage go to libphdi."""
        single = _single_data_file(path)
        if single is None:
            return super().open(path)
        medium = ParallelsMedium(single)
        medium.segment_files = [path, single]
        return medium

    def _handle(self) -> Any:
        import pyphdi

        return pyphdi.handle()

    def _after_open(self, handle: Any, path: bytes, keep: list[Any]) -> list[bytes]:
        try:
            handle.open_extent_data_files()
        except (OSError, RuntimeError) as exc:
            raise ImageError(
                f"Parallels image: a data file it names is missing ({_first_line(exc)})"
            ) from None
        folder = os.path.dirname(path)
        return [
            os.path.join(folder, os.fsencode(e.filename))
            for e in handle.extent_descriptors
            if e.filename
        ]


class ParallelsMedium(Medium):
    """A Parallels expanding image file (``.hds``) with no descriptor beside it:
    a 64-byte header, then a table of clusters (0: never written, reads as
    zeros), from the format qemu documents (docs/interop/parallels.txt)."""

    kind = "parallels"

    def __init__(self, path: bytes) -> None:
        self._handle = open(path, "rb")  # noqa: SIM115
        self.segment_files = [path]
        header = self._handle.read(64)
        if len(header) < 64:
            self._handle.close()
            raise ImageError("Parallels image: header truncated")
        self._extended = header[:16] == b"WithouFreSpacExt"
        sectors_per_cluster, entries = struct.unpack_from("<II", header, 28)
        (sectors,) = struct.unpack_from("<Q", header, 36)
        if not sectors_per_cluster or entries > (1 << 28):
            self._handle.close()
            raise ImageError("Parallels image: header damaged")
        self._cluster = sectors_per_cluster * 512
        table = self._handle.read(entries * 4)
        if len(table) < entries * 4:
            self._handle.close()
            raise ImageError("Parallels image: cluster table truncated")
        self._table = struct.unpack(f"<{entries}I", table)
        self.size = sectors * 512

    def read(self, offset: int, size: int) -> bytes:
        out = bytearray()
        end = min(offset + size, self.size)
        while offset < end:
            index, inner = divmod(offset, self._cluster)
            count = min(self._cluster - inner, end - offset)
            entry = self._table[index] if index < len(self._table) else 0
            if entry == 0:
                out += bytes(count)
            else:
                # Version 2 counts in clusters, version 1 in sectors.
                unit = self._cluster if self._extended else 512
                self._handle.seek(entry * unit + inner)
                out += self._handle.read(count).ljust(count, b"\0")
            offset += count
        return bytes(out)

    def close(self) -> None:
        self._handle.close()


class ParallelsFileFormat(ImageFormat):
    name = "parallels-hds"
    description = "Parallels expanding image file (.hds) on its own"

    def recognise(self, look: Look) -> bool:
        return _is_hds(look) and not _descriptor_beside(look.path)

    def part_of_another(self, look: Look) -> bool:
        return _is_hds(look) and _descriptor_beside(look.path)

    def open(self, path: bytes) -> Medium:
        return ParallelsMedium(path)


def _single_data_file(descriptor: bytes) -> bytes | None:
    """The one ``.hds`` a DiskDescriptor.xml names, when it names exactly one."""
    from defusedxml import ElementTree

    try:
        tree = ElementTree.parse(os.fsdecode(descriptor))
    except (OSError, ElementTree.ParseError) as exc:
        raise ImageError(f"Parallels DiskDescriptor.xml not read: {exc}") from None
    names = [f.text.strip() for f in tree.iter("File") if f.text and f.text.strip()]
    if len(names) != 1 or len(list(tree.iter("Shot"))) > 1:
        return None
    data = os.path.join(os.path.dirname(descriptor), os.fsencode(names[0]))
    if not os.path.isfile(data):
        raise ImageError(f"Parallels image: its data file {names[0]!r} is missing")
    return data


def _is_hds(look: Look) -> bool:
    return look.head[:16] in (b"WithoutFreeSpace", b"WithouFreSpacExt")


def _descriptor_beside(path: bytes) -> bool:
    folder = os.path.dirname(path)
    return bool(path) and os.path.isfile(os.path.join(folder, b"DiskDescriptor.xml"))


# --- Android sparse images --------------------------------------------------------

SPARSE_MAGIC = 0xED26FF3A
_RAW, _FILL, _DONT_CARE, _CRC32 = 0xCAC1, 0xCAC2, 0xCAC3, 0xCAC4


@dataclass(frozen=True, slots=True)
class _Run:
    start: int  # offset in the disk
    length: int
    kind: int  # _RAW (data at ``source``), _FILL (``fill`` repeated), _DONT_CARE
    source: int = 0
    fill: bytes = b""


class SparseMedium(Medium):
    """An Android sparse image (``system.img`` from fastboot / ``img2simg``)."""

    kind = "android-sparse"

    def __init__(self, open_file: Callable[[], BinaryIO], files: list[bytes]) -> None:
        self._handle = open_file()
        self.segment_files = files
        self._runs = list(self._read_chunks())
        self.size = self._runs[-1].start + self._runs[-1].length if self._runs else 0

    def _read_chunks(self) -> Iterator[_Run]:
        handle = self._handle
        header = handle.read(28)
        if len(header) < 28:
            raise ImageError("Android sparse image: header truncated")
        (
            magic,
            major,
            _minor,
            file_header,
            chunk_header,
            block,
            blocks,
            chunks,
            _checksum,
        ) = struct.unpack("<IHHHHIIII", header)
        if magic != SPARSE_MAGIC or major != 1:
            raise ImageError(f"Android sparse image: version {major} not read")
        position = file_header
        start = 0
        for number in range(chunks):
            handle.seek(position)
            raw = handle.read(chunk_header)
            if len(raw) < 12:
                raise ImageError(
                    f"Android sparse image: chunk {number + 1} of {chunks} truncated"
                )
            kind, _, count, total = struct.unpack_from("<HHII", raw)
            data = position + chunk_header
            length = count * block
            if kind == _RAW:
                if total - chunk_header != length:
                    raise ImageError(
                        f"Android sparse image: chunk {number + 1} damaged"
                    )
                yield _Run(start, length, _RAW, source=data)
            elif kind == _FILL:
                handle.seek(data)
                yield _Run(start, length, _FILL, fill=handle.read(4))
            elif kind == _DONT_CARE:
                yield _Run(start, length, _DONT_CARE)
            elif kind != _CRC32:
                raise ImageError(
                    f"Android sparse image: chunk {number + 1} of unknown type "
                    f"{kind:#x}"
                )
            start += length
            position += total
        if start != blocks * block:
            raise ImageError(
                f"Android sparse image: chunks cover {start:,} bytes, the header "
                f"says {blocks * block:,}"
            )

    def read(self, offset: int, size: int) -> bytes:
        out = bytearray()
        end = min(offset + size, self.size)
        for run in self._runs:  # few runs: a linear walk is plenty
            if run.start + run.length <= offset or run.start >= end:
                continue
            lo, hi = max(offset, run.start), min(end, run.start + run.length)
            if run.kind == _RAW:
                self._handle.seek(run.source + lo - run.start)
                out += self._handle.read(hi - lo)
            elif run.kind == _FILL:
                phase = (lo - run.start) % 4
                pattern = run.fill * ((hi - lo) // 4 + 2)
                out += pattern[phase : phase + hi - lo]
            else:
                out += bytes(hi - lo)
        return bytes(out)

    def close(self) -> None:
        self._handle.close()


class AndroidSparseFormat(ImageFormat):
    name = "android-sparse"
    description = "Android sparse image (fastboot, img2simg)"

    def recognise(self, look: Look) -> bool:
        return look.head[:4] == struct.pack("<I", SPARSE_MAGIC)

    def open(self, path: bytes) -> Medium:
        return SparseMedium(lambda: open(path, "rb"), [path])  # noqa: SIM115

    def open_stream(self, stream: BinaryIO, name: bytes) -> Medium:
        return SparseMedium(lambda: stream, [name])


# --- formats recognised but not read ------------------------------------------------


class Unread(ImageFormat):
    """A disk image format Kavach recognises but has no reader for: listing it
    ends in a "container not read" warning that says how to get a readable copy,
    never a silent zero."""

    advice: ClassVar[str]

    def open(self, path: bytes) -> Medium:
        raise ImageError(
            f"{self.description}: Kavach has no reader for it; {self.advice}"
        )

    def open_stream(self, stream: BinaryIO, name: bytes) -> Medium:
        return self.open(name)


class VdiFormat(Unread):
    name = "vdi"
    description = "VirtualBox VDI image"
    advice = "convert a copy to raw (qemu-img convert -O raw) and scan the copy"

    def recognise(self, look: Look) -> bool:
        return look.head[0x40:0x44] == b"\x7f\x10\xda\xbe"


class Aff4Format(Unread):
    name = "aff4"
    description = "AFF4 image"
    advice = "export a raw or E01 copy with an AFF4 tool and scan the copy"

    def recognise(self, look: Look) -> bool:
        # An AFF4 volume is a zip whose first member describes the container.
        return look.head.startswith(b"PK\x03\x04") and (
            b"container.description" in look.head[:1024]
            or b"information.turtle" in look.head[:1024]
        )


def default_formats() -> FormatRegistry:
    """Every image format Kavach reads, in the order they are tried."""
    registry = FormatRegistry()
    for fmt in (
        EwfFormat(),
        VmdkFormat(),
        VhdFormat(),
        QcowFormat(),
        DmgFormat(),
        ParallelsFormat(),
        ParallelsFileFormat(),
        AndroidSparseFormat(),
        VdiFormat(),
        Aff4Format(),
        RawFormat(),
    ):
        registry.register(fmt)
    return registry
