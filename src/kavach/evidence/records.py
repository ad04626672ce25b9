"""What examining an item produces: file records and warnings, plain and picklable.

Workers return these; the single writer stores them. One walked item (a file of the
folder, or one inside a disk image) may give many records when it is an archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kavach.evidence.filetype import FileType
from kavach.evidence.hashing import Digests
from kavach.matching.pdq_matcher import PdqMatch
from kavach.vocabulary import PdqSource, WarningStage


@dataclass
class FileResult:
    item_seq: int
    sub_seq: int
    path: bytes
    depth: int
    size: int
    md5: str
    sha1: str
    sha256: str
    mime: str
    known: bool
    pdq: str | None = None
    pdq_quality: int | None = None
    pdq_source: PdqSource | None = None
    pdq_matches: list[PdqMatch] = field(default_factory=list)
    deleted: bool = False
    carved: bool = False
    offset: int | None = None  # bytes from the disk image's start (carved files)
    inode: int | None = None  # inode / MFT entry inside a disk image
    times: str | None = None  # timestamps an extraction report states
    extracted_as: bytes | None = None  # where the file lies when ``path`` is original


@dataclass(frozen=True)
class Origin:
    """Where inside a disk image a top-level record came from."""

    deleted: bool = False
    carved: bool = False
    offset: int | None = None
    inode: int | None = None
    times: str | None = None
    extracted_as: bytes | None = None


@dataclass
class WarningResult:
    item_seq: int
    sub_seq: int
    path: bytes
    stage: WarningStage
    reason: str


@dataclass
class ItemResult:
    seq: int
    files: list[FileResult] = field(default_factory=list)
    warnings: list[WarningResult] = field(default_factory=list)
    seconds: float = 0.0  # time the worker spent on the item
    _next_sub: int = 0

    def _sub(self) -> int:
        self._next_sub += 1
        return self._next_sub - 1

    def add_file(
        self,
        path: bytes,
        depth: int,
        digests: Digests,
        file_type: FileType,
        known: bool,
        origin: Origin | None = None,
    ) -> FileResult:
        origin = origin or Origin()
        record = FileResult(
            self.seq,
            self._sub(),
            path,
            depth,
            digests.size,
            digests.md5,
            digests.sha1,
            digests.sha256,
            file_type.mime,
            known,
            deleted=origin.deleted,
            carved=origin.carved,
            offset=origin.offset,
            inode=origin.inode,
            times=origin.times,
            extracted_as=origin.extracted_as,
        )
        self.files.append(record)
        return record

    def warn(self, path: bytes, stage: WarningStage, reason: str) -> None:
        self.warnings.append(WarningResult(self.seq, self._sub(), path, stage, reason))
