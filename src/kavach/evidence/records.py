"""What examining an item produces: file records and warnings, plain and picklable.

Workers return these; the single writer stores them. One scan item (a file of the
folder, or one inside a disk image) may give many records when it is an archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kavach.evidence.capture import CaptureInfo
from kavach.evidence.filetype import FileType
from kavach.evidence.hashing import Digests
from kavach.evidence.pickling import plain_pickle
from kavach.evidence.refs import PathSpec
from kavach.evidence.sources.interface import Origin
from kavach.matching.pdq_matcher import PdqMatch
from kavach.vocabulary import PdqSource, WarningStage


@plain_pickle
@dataclass
class FileResult:
    item_seq: int
    sub_seq: int
    path: PathSpec
    depth: int
    size: int
    md5: str
    sha1: str
    sha256: str
    mime: str
    known: bool
    origin: Origin = field(default_factory=Origin)
    sha512: str | None = None
    pdq: str | None = None
    pdq_quality: int | None = None
    pdq_source: PdqSource | None = None
    pdq_matches: list[PdqMatch] = field(default_factory=list)
    capture: CaptureInfo | None = None  # camera, time and GPS from the file itself
    place: str | None = None  # where the GPS point lies (district, state, country)


@plain_pickle
@dataclass
class WarningResult:
    item_seq: int
    sub_seq: int
    path: PathSpec
    stage: WarningStage
    reason: str


@plain_pickle
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
        path: PathSpec,
        depth: int,
        digests: Digests,
        file_type: FileType,
        known: bool,
        origin: Origin,
    ) -> FileResult:
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
            origin,
            digests.sha512,
        )
        self.files.append(record)
        return record

    def warn(self, path: PathSpec, stage: WarningStage, reason: str) -> None:
        self.warnings.append(WarningResult(self.seq, self._sub(), path, stage, reason))
