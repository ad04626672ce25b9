"""The interface every evidence source implements, and the values it hands out.

A *source* is a kind of container Kavach can look inside: a folder, an archive, a
disk image, a phone extraction. It recognises itself from a ``Probe`` (first bytes,
name, and a way to open the thing), lists its ``Entry`` values, and opens an entry
as a stream. Everything a source knows about where an entry came from (partition,
inode, offset, the path a phone report gives, times, hashes the report states)
travels in the entry's ``Origin``, so adding a source never adds a column to thread
through the scan.

Sources come in two kinds:

- *planned* sources (folders, disk images, iOS backups) are listed where the scan is
  planned: each entry becomes a scan item of its own, examined by any worker and
  committed in order, so a disk's files spread over every core and a resumed scan
  skips exactly what was committed. Their entries must pickle.
- *nested* sources (archives, UFDR extractions) are opened inside the worker that
  examines their container; their entries stream past in the archive's own order,
  each stream valid until the next entry is asked for.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar

from kavach.evidence.filetype import FileType
from kavach.evidence.pickling import plain_pickle
from kavach.evidence.refs import PathSpec
from kavach.vocabulary import WarningStage

Opener = Callable[[], BinaryIO]


@plain_pickle
@dataclass(frozen=True, slots=True)
class Origin:
    """Where inside the evidence an entry came from, beyond its path."""

    deleted: bool = False
    carved: bool = False
    offset: int | None = None  # bytes from the disk image's start (carved files)
    inode: int | None = None  # inode / MFT entry inside a disk image
    times: str | None = None  # timestamps an extraction report states
    extracted_as: PathSpec | None = None  # where the file lies when spec is original
    stated: tuple[tuple[str, str], ...] = ()  # (algorithm, hex) a report states
    stated_by: str | None = None  # which report, for the warning on a mismatch
    # The file system's own times (POSIX seconds, UTC) where the source has them.
    modified: float | None = None
    created: float | None = None


@plain_pickle
@dataclass(frozen=True, slots=True)
class Entry:
    """One thing a source holds: a file, a folder, a stretch to expand, or a problem.

    ``locator`` is what the source needs to open the entry again (a path, an inode,
    a live member stream); only the source that made it reads it.
    """

    spec: PathSpec
    source: str
    locator: Any = None
    origin: Origin = field(default_factory=Origin)
    problem: str | None = None  # a warning instead of a file
    stage: WarningStage = WarningStage.WALK  # the stage the problem is reported at
    folder: bool = False  # a folder the scan plan descends into
    expand: bool = False  # not a file: space the source expands (unallocated space)
    packed_size: int | None = None  # compressed size inside an archive
    # The size where listing told it (a folder's lstat): lets the executor send
    # many small files to a worker at once and a large one alone.
    size: int | None = None


@dataclass(frozen=True)
class Probe:
    """What a source may look at to recognise a container."""

    spec: PathSpec
    head: bytes  # the first 4 KiB (and ISO 9660's mark at 32 KiB for files on disk)
    file_type: FileType | None  # what the magic bytes say (None: not sniffed)
    opener: Opener | None = None  # open the whole container (None for a folder)
    local_path: bytes | None = None  # a file or folder on this machine's disks
    folder: bool = False  # a folder, not a file
    tail: bytes = b""  # the last 512 bytes of a file on disk (b"" if under 4 KiB)

    @property
    def name(self) -> bytes:
        return self.spec.name.rsplit(b"/", 1)[-1]


@dataclass(frozen=True)
class Container:
    """What a source is asked to list: a probed thing it recognised."""

    spec: PathSpec
    opener: Opener | None = None
    local_path: bytes | None = None
    file_type: FileType | None = None
    size: int = 0
    max_expanded: int | None = None  # refuse to unpack more than this many bytes


class SourceError(Exception):
    """A container that cannot be opened, or read on past some point."""


class EvidenceSource(ABC):
    """A kind of container Kavach reads. One instance a process; it may cache."""

    name: ClassVar[str]
    description: ClassVar[str]
    planned: ClassVar[bool] = False  # listed where the scan is planned (see above)
    folders: ClassVar[bool] = False  # recognises folders rather than files

    @abstractmethod
    def recognise(self, probe: Probe) -> int:
        """Confidence 0-100 that ``probe`` is this kind of container (0: not mine).

        Cheap for ordinary files: look at ``probe.head`` and the name first.
        """

    @abstractmethod
    def entries(self, container: Container) -> Iterator[Entry]:
        """Everything in ``container``, in a fixed order; problems as entries."""

    def open(self, entry: Entry) -> BinaryIO:
        """The content of one of this source's entries, read-only."""
        raise OSError(f"{self.name} entries cannot be opened")

    def in_place(self, entry: Entry) -> Opener | None:
        """A nested entry's content again, at random offsets, read in place from
        its container (a disk image inside an archive is opened through it);
        None where that is not cheap, and the entry is kept as it streams."""
        return None

    def expand(self, entry: Entry) -> Iterator[Entry]:
        """The files found in an ``expand`` entry (carving unallocated space)."""
        return iter(())

    def local_path(self, entry: Entry) -> bytes | None:
        """Where the entry lies on this machine's disks, if it is a plain file or
        folder there (planned sources such as disk images need one)."""
        return None

    def read_problem(self, entry: Entry, error: OSError) -> str:
        """The warning for an entry whose content cannot be read."""
        return f"cannot read: {error.strerror or error}"
