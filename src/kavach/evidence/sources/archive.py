"""Archives as nested sources: zip, tar (plain or compressed), 7z, and single
gzip/bzip2/xz files.

Members come out in the archive's own order, each with a stream to read once before
the next member is asked for (compressed tars are read as a stream, never rewound).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal, cast

from kavach.evidence.refs import Layer, clean_member_name
from kavach.evidence.sources.interface import (
    Container,
    Entry,
    EvidenceSource,
    Probe,
    SourceError,
)
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
            with archive.open(info) as stream:
                yield Member(name, cast(BinaryIO, stream), info.compress_size)


def _tar_or_single(kind: str, opener: Opener, container: bytes) -> Iterator[Member]:
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
                    raw = clean_member_name(
                        entry.name.encode("utf-8", "surrogateescape")
                    )
                    if entry.isdir():
                        continue
                    if not entry.isfile():
                        yield Member(raw, None, problem=_not_a_file(entry))
                        continue
                    stream = archive.extractfile(entry)
                    if stream is None:
                        yield Member(raw, None, problem="member not readable")
                        continue
                    yield Member(raw, cast(BinaryIO, stream))
            return
    with opener() as handle, _SINGLE[kind](handle) as stream:
        yield Member(_single_name(kind, container), stream)


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
                    spec, self.name, member.stream, packed_size=member.compressed_size
                )

    def open(self, entry: Entry) -> BinaryIO:
        return cast(BinaryIO, entry.locator)


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
