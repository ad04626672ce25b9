"""Examining one walked item: hash it, type it, PDQ its pictures, open its archives.

This runs in worker processes and never touches the database: it returns plain
records and warnings for the writer. One item (a top-level file) may expand into
many records when it is an archive; they share the item's ``seq`` so a resumed scan
commits or skips them together.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from kavach.evidence import refs
from kavach.evidence.filetype import FileType, sniff
from kavach.evidence.hashing import Digests, hash_stream
from kavach.evidence.limits import BombError, BudgetReader, ExpansionBudget, Limits
from kavach.evidence.records import FileResult, ItemResult, Origin
from kavach.evidence.sources import archive
from kavach.evidence.sources.disk import DiskEntry
from kavach.evidence.sources.disk_reader import DiskReader
from kavach.evidence.sources.folder import WalkItem, open_readonly
from kavach.evidence.sources.phone import REPORT, PhoneFile, read_report
from kavach.matching.list_index import ListIndex
from kavach.matching.pdq_matcher import PdqMatcher, PdqPolicy
from kavach.matching.video_matcher import VideoMatcher, VideoPolicy
from kavach.perceptual.pdq import ImageDecodeError
from kavach.perceptual.vpdq import VideoDecodeError
from kavach.vocabulary import Algorithm, Role, WarningStage

Opener = Callable[[], BinaryIO]


@dataclass(frozen=True)
class ListRef:
    """Where a list version's index lies (each worker opens it itself, read-only)."""

    directory: str
    version_id: int
    name: str
    role: Role
    pdq_threshold: int


@dataclass(frozen=True)
class ExamineConfig:
    root: bytes
    limits: Limits
    lists: tuple[ListRef, ...] = ()
    pdq: PdqPolicy = field(default_factory=PdqPolicy)
    video: VideoPolicy = field(default_factory=VideoPolicy)


def _check_reported(
    result: ItemResult, path: bytes, reported: PhoneFile, digests: Digests
) -> None:
    for name, stated in sorted(reported.hashes.items()):
        computed = getattr(digests, name)
        if stated != computed:
            result.warn(
                path,
                WarningStage.REPORT,
                f"report.xml states {name} {stated}, Kavach computed {computed}",
            )


class _KeptOpen:
    """A spooled member lent to a decoder: closing it must not discard the spool."""

    def __init__(self, file: Any) -> None:
        self._file = file
        file.seek(0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)

    def __enter__(self) -> _KeptOpen:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def close(self) -> None:
        return None


class Examiner:
    """Examines walked items; one per worker process."""

    def __init__(self, config: ExamineConfig) -> None:
        self._config = config
        lists = [
            ListIndex.open(
                Path(ref.directory),
                ref.version_id,
                ref.name,
                ref.role,
                ref.pdq_threshold,
            )
            for ref in config.lists
        ]
        self._known = [index for index in lists if index.role is Role.KNOWN]
        self._disk_reader: DiskReader | None = None
        self._pdq_matcher = PdqMatcher(lists, config.pdq)
        self._video_matcher = VideoMatcher(lists, config.video)

    def examine(self, item: WalkItem) -> ItemResult:
        started = time.perf_counter()
        result = self._examine(item)
        result.seconds = time.perf_counter() - started
        return result

    def _examine(self, item: WalkItem) -> ItemResult:
        result = ItemResult(item.seq)
        if item.problem is not None:
            result.warn(item.rel, WarningStage.WALK, item.problem)
            return result
        if not refs.is_utf8(item.rel):
            result.warn(
                item.rel, WarningStage.NAME, "file name is not UTF-8; kept as raw bytes"
            )
        try:
            if item.disk is None:
                self._examine_file(result, item)
            elif item.disk.carve_start is not None:
                self._carve(result, item.rel, item.disk)
            else:
                self._examine_disk_file(result, item.rel, item.disk)
        except Exception as exc:  # last resort: one odd file must not stop a scan
            result.warn(item.rel, WarningStage.INTERNAL, f"{type(exc).__name__}: {exc}")
        return result

    def _examine_file(self, result: ItemResult, item: WalkItem) -> None:
        full = self._config.root
        if os.path.isdir(full):
            full = os.path.join(full, item.rel)

        def opener() -> BinaryIO:
            return os.fdopen(open_readonly(full), "rb")

        try:
            with opener() as handle:
                digests, head = hash_stream(handle)
        except OSError as exc:
            result.warn(
                item.rel, WarningStage.READ, f"cannot read: {exc.strerror or exc}"
            )
            return
        if item.original is not None:
            origin = Origin(extracted_as=item.rel)
            self._analyse(
                result, item.original, 0, digests, head, opener, digests.size, origin
            )
        else:
            self._analyse(result, item.rel, 0, digests, head, opener, digests.size)

    def _disk(self) -> DiskReader:
        if self._disk_reader is None:
            self._disk_reader = DiskReader()
        return self._disk_reader

    def _examine_disk_file(
        self, result: ItemResult, spec: bytes, entry: DiskEntry
    ) -> None:
        def opener() -> BinaryIO:
            return self._disk().open(entry)

        try:
            with opener() as handle:
                digests, head = hash_stream(handle)
        except OSError as exc:
            state = "deleted file" if entry.deleted else "file"
            result.warn(
                spec, WarningStage.READ, f"{state} content not recoverable: {exc}"
            )
            return
        origin = Origin(deleted=entry.deleted, inode=entry.inode)
        self._analyse(result, spec, 0, digests, head, opener, digests.size, origin)

    def _carve(self, result: ItemResult, spec: bytes, entry: DiskEntry) -> None:
        prefix = spec.split(b":", 1)[0] + b":$Carved/"
        for carved in self._disk().carve(entry):
            data = carved.data

            def opener(data: bytes = data) -> BinaryIO:
                return io.BytesIO(data)

            digests, head = hash_stream(opener())
            name = prefix + b"%d.%s" % (carved.offset, carved.kind.encode())
            origin = Origin(carved=True, offset=carved.offset)
            self._analyse(result, name, 0, digests, head, opener, len(data), origin)

    def _is_known(self, digests: Digests) -> bool:
        raw = {
            Algorithm.MD5: bytes.fromhex(digests.md5),
            Algorithm.SHA1: bytes.fromhex(digests.sha1),
            Algorithm.SHA256: bytes.fromhex(digests.sha256),
        }
        return any(index.is_known(raw) for index in self._known)

    def _analyse(
        self,
        result: ItemResult,
        path: bytes,
        depth: int,
        digests: Digests,
        head: bytes,
        opener: Opener,
        container_size: int,
        origin: Origin | None = None,
    ) -> None:
        file_type = sniff(head)
        known = self._is_known(digests)
        record = result.add_file(path, depth, digests, file_type, known, origin)
        if known:
            return  # ordinary software: no pictures to hash, no archives to open
        if file_type.kind == "image":
            self._pdq(result, record, opener)
        elif file_type.kind == "video":
            self._video(result, record, opener)
        elif file_type.is_archive:
            if depth >= self._config.limits.max_depth:
                result.warn(
                    path,
                    WarningStage.ARCHIVE,
                    f"nesting limit {self._config.limits.max_depth} reached; "
                    "not opened",
                )
            else:
                self._expand(result, path, depth, file_type, opener, container_size)

    def _pdq(self, result: ItemResult, record: FileResult, opener: Opener) -> None:
        try:
            outcome = self._pdq_matcher.examine(opener)
        except ImageDecodeError as exc:
            result.warn(record.path, WarningStage.DECODE, f"picture not decoded: {exc}")
            return
        record.pdq, record.pdq_quality = outcome.result.hash, outcome.result.quality
        record.pdq_source, record.pdq_matches = outcome.source, outcome.matches

    def _video(self, result: ItemResult, record: FileResult, opener: Opener) -> None:
        try:
            _, matches = self._video_matcher.examine(opener)
        except VideoDecodeError as exc:
            result.warn(record.path, WarningStage.DECODE, f"video not decoded: {exc}")
            return
        record.pdq_matches.extend(matches)

    def _expand(
        self,
        result: ItemResult,
        path: bytes,
        depth: int,
        file_type: FileType,
        opener: Opener,
        container_size: int,
    ) -> None:
        budget = ExpansionBudget(self._config.limits, max(container_size, 1))
        report = self._phone_report(result, path, file_type, opener)
        try:
            limit = budget.most_expanded()
            for member in archive.members(file_type.kind, opener, path, limit):
                member_path = refs.join(path, member.name)
                if member.stream is None:
                    result.warn(
                        member_path,
                        WarningStage.ARCHIVE,
                        member.problem or "not readable",
                    )
                    continue
                if not refs.is_utf8(member.name):
                    result.warn(
                        member_path,
                        WarningStage.NAME,
                        "member name is not UTF-8; kept as raw bytes",
                    )
                known = report.get(member.name.decode("utf-8", "replace"))
                if not self._member(result, member, member_path, depth, budget, known):
                    break
        except archive.ArchiveError as exc:
            result.warn(
                path, WarningStage.ARCHIVE, f"archive not opened or damaged: {exc}"
            )

    def _member(
        self,
        result: ItemResult,
        member: archive.Member,
        path: bytes,
        depth: int,
        budget: ExpansionBudget,
        reported: PhoneFile | None = None,
    ) -> bool:
        """Examine one member; False when the archive must not be read further."""
        with tempfile.SpooledTemporaryFile(max_size=archive.SPOOL_MEMORY) as spool:
            reader = BudgetReader(
                cast(BinaryIO, member.stream), budget, path, member.compressed_size
            )
            try:
                digests, head = hash_stream(cast(BinaryIO, reader), sink=spool)
            except BombError as exc:
                result.warn(path, WarningStage.ARCHIVE, f"decompression bomb: {exc}")
                return False
            except (OSError, EOFError, ValueError) as exc:
                result.warn(path, WarningStage.READ, f"member not readable: {exc}")
                return True

            def opener() -> BinaryIO:
                return cast(BinaryIO, _KeptOpen(spool))

            origin = None
            if reported is not None:
                # Hits show where the file lay on the phone; the member path is kept.
                container = path.rsplit(refs.SEPARATOR, 1)[0]
                original = reported.original_path.lstrip("/").encode()
                origin = Origin(
                    deleted=reported.deleted, times=reported.times, extracted_as=path
                )
                path = refs.join(container, original)
                _check_reported(result, path, reported, digests)
            self._analyse(
                result, path, depth + 1, digests, head, opener, digests.size, origin
            )
        return True

    def _phone_report(
        self, result: ItemResult, path: bytes, file_type: FileType, opener: Opener
    ) -> dict[str, PhoneFile]:
        """A UFDR-style zip's report.xml, by member path (empty for other archives)."""
        if file_type.kind != "zip":
            return {}
        try:
            with opener() as handle, zipfile.ZipFile(handle) as extraction:
                if REPORT not in extraction.namelist():
                    return {}
                with extraction.open(REPORT) as report:
                    return read_report(cast(BinaryIO, report))
        except (zipfile.BadZipFile, OSError):
            return {}  # the archive itself is reported when it is opened
        except ValueError as exc:
            result.warn(path, WarningStage.REPORT, f"extraction report not read: {exc}")
            return {}
