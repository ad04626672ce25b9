"""Archives as nested sources: zip, tar (plain or compressed), 7z, and single
gzip/bzip2/xz files.

Members come out in the archive's own order, each with a stream to read once before
the next member is asked for (compressed tars are read as a stream, never rewound).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal, cast

from kavach.evidence.refs import Layer, clean_member_name
from kavach.evidence.sources.compressed import Decompressed
from kavach.evidence.sources.interface import (
    Container,
    Entry,
    EvidenceSource,
    Probe,
    SourceError,
)
from kavach.evidence.sources.streams import FileWindow, Region
from kavach.vocabulary import WarningStage

Opener = Callable[[], BinaryIO]
SPOOL_MEMORY = 32 * 1024**2
_SINGLE: dict[str, Callable[[BinaryIO], BinaryIO]] = {
    "gzip": lambda f: cast(BinaryIO, gzip.GzipFile(fileobj=f, mode="rb")),
    "bzip2": lambda f: cast(BinaryIO, bz2.BZ2File(f)),
    "xz": lambda f: cast(BinaryIO, lzma.LZMAFile(f)),
}
_TAR_MODE: dict[str, Literal["r|", "r|gz", "r|bz2", "r|xz"]] = {
    "tar": "r|",
    "gzip": "r|gz",
    "bzip2": "r|bz2",
    "xz": "r|xz",
}
_SUFFIXES = {
    "gzip": (b".gz", b".tgz"),
    "bzip2": (b".bz2", b".tbz2"),
    "xz": (b".xz", b".txz"),
}


class ArchiveError(SourceError):
    """The archive cannot be opened or read on (its content is damaged)."""


@dataclass
class Member:
    name: bytes
    stream: BinaryIO | None  # None when ``problem`` says why it cannot be read
    compressed_size: int | None = None
    problem: str | None = None
    # The member's bytes again, at random offsets, read in place from the archive
    # (a disk image inside is opened through it); None where that is not cheap.
    reopen: Opener | None = None


class InPlace:
    """A member read again in place, at random offsets: a window on the archive
    (stored bytes) or on its decompressed bytes, decompressed once as first
    needed (gzip and deflate keep checkpoints: a read goes back 32 MiB at most).

    Shared by the opens of one member (or of every member of one compressed
    tar); ``close`` once the archive has moved on.
    """

    def __init__(
        self,
        opener: Opener,
        start: int,
        size: int | None,
        compression: str | None = None,
    ) -> None:
        self._opener = opener
        self._start = start
        self._size = size  # the stored (compressed) bytes; None: to the end
        self._compression = compression
        self._file: BinaryIO | None = None  # the archive, opened again
        self._handle: BinaryIO | None = None  # the stored bytes in it
        self._inflated: Decompressed | None = None

    def window(self, offset: int, size: int) -> Opener:
        """An opener of ``size`` bytes from ``offset`` of the member's content."""
        return lambda: cast(BinaryIO, self._region(offset, size))

    def whole(self) -> Opener:
        return lambda: cast(BinaryIO, self._region(0, None))

    def open(self) -> BinaryIO:
        """The stored bytes, the archive opened again on first use.

        The archive's own file may be the one its members stream from: a window
        puts it back where it was after every read.
        """
        if self._handle is None:
            self._file = whole = self._opener()
            if self._size is None:
                was = whole.tell()
                self._size = whole.seek(0, io.SEEK_END) - self._start
                whole.seek(was)
            self._handle = cast(BinaryIO, FileWindow(whole, self._start, self._size))
        return self._handle

    def _region(self, offset: int, size: int | None) -> Region:
        stored = self.open()
        assert self._size is not None  # known once open
        if self._compression is None:
            content: Any = _Stored(stored, self._size)
        else:
            if self._inflated is None:
                self._inflated = Decompressed(lambda: stored, self._compression)
            content = self._inflated
        length = content.size - offset if size is None else size
        return Region(content, offset, length)

    def close(self) -> None:
        if self._inflated is not None:
            self._inflated.close()
        for opened in (self._handle, self._file):
            if opened is not None:
                opened.close()


class _Stored:
    """Stored bytes served as a medium: ``read(offset, count)`` and a size."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle = handle
        self.size = size

    def read(self, offset: int, count: int) -> bytes:
        self._handle.seek(offset)
        return self._handle.read(count)


def members(
    kind: str, opener: Opener, container: bytes, max_declared: int | None = None
) -> Iterator[Member]:
    """The regular-file members of the archive of ``kind`` that ``opener`` opens.

    ``max_declared`` refuses a 7z whose header declares more bytes than that: py7zr
    expands the whole archive before the first member can be read.
    """
    try:
        if kind == "zip":
            yield from _zip_members(opener)
        elif kind == "7z":
            yield from _sevenzip_members(opener, max_declared)
        else:
            yield from _tar_or_single(kind, opener, container)
    except ArchiveError:
        raise
    except (
        OSError,
        EOFError,
        ValueError,
        zipfile.BadZipFile,
        tarfile.TarError,
        lzma.LZMAError,
    ) as exc:
        raise ArchiveError(str(exc) or type(exc).__name__) from None


def _zip_members(opener: Opener) -> Iterator[Member]:
    with opener() as handle, zipfile.ZipFile(handle) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            utf8_flag = info.flag_bits & 0x800
            raw = info.orig_filename.encode("utf-8" if utf8_flag else "cp437")
            name = clean_member_name(raw)
            if info.flag_bits & 0x1:
                yield Member(name, None, problem="encrypted member; not read")
                continue
            in_place = _zip_in_place(opener, handle, info)
            try:
                with archive.open(info) as stream:
                    yield Member(
                        name,
                        cast(BinaryIO, stream),
                        info.compress_size,
                        reopen=in_place.whole() if in_place else None,
                    )
            finally:
                if in_place is not None:
                    in_place.close()


_ZIP_LOCAL_HEADER = 30  # bytes before the name and extra field


def _zip_in_place(
    opener: Opener, handle: BinaryIO, info: zipfile.ZipInfo
) -> InPlace | None:
    """A stored or deflated member, read in place; None for other methods."""
    methods = {zipfile.ZIP_STORED: None, zipfile.ZIP_DEFLATED: "deflate"}
    if info.compress_type not in methods:
        return None
    was = handle.tell()
    try:
        handle.seek(info.header_offset)
        local = handle.read(_ZIP_LOCAL_HEADER)
    finally:
        handle.seek(was)
    if len(local) < _ZIP_LOCAL_HEADER or not local.startswith(b"PK\x03\x04"):
        return None  # archive.open will say what is wrong
    names = int.from_bytes(local[26:28], "little") + int.from_bytes(
        local[28:30], "little"
    )
    start = info.header_offset + _ZIP_LOCAL_HEADER + names
    return InPlace(opener, start, info.compress_size, methods[info.compress_type])


def _tar_or_single(kind: str, opener: Opener, container: bytes) -> Iterator[Member]:
    # Opened before the stream starts: opening a spooled archive again rewinds it.
    in_place = _tar_in_place(kind, opener)
    try:
        with opener() as handle:
            try:
                archive = tarfile.open(fileobj=handle, mode=_TAR_MODE[kind])
            except tarfile.ReadError:
                if kind == "tar":
                    raise
                archive = None
            if archive is not None:
                with archive:
                    for entry in archive:
                        yield from _tar_member(archive, entry, in_place)
                return
    finally:
        if in_place is not None:
            in_place.close()
    with opener() as handle, _SINGLE[kind](handle) as stream:
        yield Member(_single_name(kind, container), stream)


def _tar_in_place(kind: str, opener: Opener) -> InPlace | None:
    """A plain or gzipped tar read in place (its members lie in one stream);
    None for bzip2 and xz, whose readers cannot go back but from the start."""
    if kind not in ("tar", "gzip"):
        return None
    in_place = InPlace(opener, 0, None, None if kind == "tar" else "gzip")
    in_place.open()
    return in_place


def _tar_member(
    archive: tarfile.TarFile, entry: tarfile.TarInfo, in_place: InPlace | None
) -> Iterator[Member]:
    raw = clean_member_name(entry.name.encode("utf-8", "surrogateescape"))
    if entry.isdir():
        return
    if not entry.isfile():
        yield Member(raw, None, problem=_not_a_file(entry))
        return
    stream = archive.extractfile(entry)
    if stream is None:
        yield Member(raw, None, problem="member not readable")
        return
    reopen = None
    if in_place is not None and not entry.issparse():
        reopen = in_place.window(entry.offset_data, entry.size)
    yield Member(raw, cast(BinaryIO, stream), reopen=reopen)


def _not_a_file(entry: tarfile.TarInfo) -> str:
    """Why a tar member that is not a regular file gives no content."""
    target = entry.linkname
    if entry.issym():
        return f"symlink to {target}; not followed"
    if entry.islnk():
        return f"hard link to {target}; its content is listed under that name"
    return "not a regular file (device, fifo); nothing to read"


def _single_name(kind: str, container: bytes) -> bytes:
    base = container.rsplit(b"/", 1)[-1]
    for suffix in _SUFFIXES[kind]:
        if base.lower().endswith(suffix) and len(base) > len(suffix):
            stem = base[: -len(suffix)]
            return stem + b".tar" if suffix.startswith(b".t") else stem
    return base + b".data"


def _sevenzip_members(opener: Opener, max_declared: int | None) -> Iterator[Member]:
    try:
        import py7zr
        from py7zr.io import Py7zIO, WriterFactory
    except ImportError as exc:  # the 'archives' extra is not installed
        raise ArchiveError("7z support needs the 'archives' extra (py7zr)") from exc

    class _Spool(Py7zIO):
        def __init__(self) -> None:
            self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)

        def write(self, s: bytes | bytearray) -> int:
            return self.file.write(s)

        def read(self, size: int | None = None) -> bytes:
            return self.file.read(-1 if size is None else size)

        def seek(self, offset: int, whence: int = 0) -> int:
            return self.file.seek(offset, whence)

        def flush(self) -> None:
            self.file.flush()

        def size(self) -> int:
            return self.file.tell()

    class _Factory(WriterFactory):
        def __init__(self) -> None:
            self.spools: dict[str, _Spool] = {}

        def create(self, filename: str) -> _Spool:
            spool = _Spool()
            self.spools[filename] = spool
            return spool

    with opener() as handle:
        try:
            archive = py7zr.SevenZipFile(handle, mode="r")
        except Exception as exc:  # py7zr raises several unrelated types
            raise ArchiveError(str(exc) or type(exc).__name__) from None
        with archive:
            entries = [e for e in archive.list() if not e.is_directory]
            if archive.needs_password():
                for entry in entries:
                    raw = entry.filename.encode("utf-8", "surrogateescape")
                    yield Member(
                        clean_member_name(raw),
                        None,
                        problem="encrypted member; not read",
                    )
                return
            declared = sum(e.uncompressed or 0 for e in entries)
            if max_declared is not None and declared > max_declared:
                raise ArchiveError(
                    f"decompression bomb: declares {declared} bytes "
                    f"(limit {max_declared})"
                )
            factory = _Factory()
            try:
                archive.extractall(factory=factory)
            except Exception as exc:
                raise ArchiveError(str(exc) or type(exc).__name__) from None
    for entry in entries:
        spool = factory.spools.get(entry.filename)
        raw = entry.filename.encode("utf-8", "surrogateescape")
        if spool is None:
            yield Member(clean_member_name(raw), None, problem="member not extracted")
            continue
        spool.file.seek(0)
        with spool.file:
            yield Member(
                clean_member_name(raw), cast(BinaryIO, spool.file), entry.compressed
            )


class _ArchiveSource(EvidenceSource):
    """An archive opened inside the worker examining it; members stream past."""

    kinds: frozenset[str]

    def recognise(self, probe: Probe) -> int:
        if probe.file_type is None or probe.file_type.kind not in self.kinds:
            return 0
        if probe.file_type.kind in _COMPRESSED and _compressed_disk(probe):
            return 0  # a disk image, gzipped: the disk-image source reads it
        return 50

    def entries(self, container: Container) -> Iterator[Entry]:
        assert container.opener is not None and container.file_type is not None
        kind = container.file_type.kind
        for member in members(
            kind, container.opener, container.spec.name, container.max_expanded
        ):
            spec = container.spec.child(Layer.MEMBER, member.name)
            if member.stream is None:
                problem = member.problem or "not readable"
                yield Entry(
                    spec, self.name, problem=problem, stage=WarningStage.ARCHIVE
                )
            else:
                yield Entry(
                    spec,
                    self.name,
                    _Located(member.stream, member.reopen),
                    packed_size=member.compressed_size,
                )

    def open(self, entry: Entry) -> BinaryIO:
        return cast(_Located, entry.locator).stream

    def in_place(self, entry: Entry) -> Opener | None:
        return cast(_Located, entry.locator).reopen


@dataclass(frozen=True)
class _Located:
    """A member as it streams past, and how to read it again in place."""

    stream: BinaryIO
    reopen: Opener | None


class ZipSource(_ArchiveSource):
    name = "zip"
    description = "zip archives (encrypted members reported, not read)"
    kinds = frozenset({"zip"})


class TarSource(_ArchiveSource):
    name = "tar"
    description = (
        "tar archives, plain or gzip/bzip2/xz compressed, and single compressed files"
    )
    kinds = frozenset({"tar", "gzip", "bzip2", "xz"})


class SevenZipSource(_ArchiveSource):
    name = "7z"
    description = "7z archives (the 'archives' extra)"
    kinds = frozenset({"7z"})


_COMPRESSED = ("gzip", "bzip2", "xz")


def _compressed_disk(probe: Probe) -> bool:
    """Whether a ``.gz`` / ``.xz`` / ``.bz2`` holds a disk image, not a tar."""
    from kavach.evidence.sources.images import compressed_disk

    if probe.opener is None:
        return False
    try:
        with probe.opener() as handle:
            return compressed_disk(probe.head, handle) is not None
    except OSError:
        return False
