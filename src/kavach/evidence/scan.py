"""Scanning an exhibit: walk, examine in worker processes, match, write in batches.

The walk is deterministic, every batch is one transaction that also moves the scan's
checkpoint, and workers never touch the database, so a killed scan resumes exactly
where its last committed batch ended (see ``docs/architecture.md``).
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kavach import __version__
from kavach.errors import EvidenceError
from kavach.evidence.examine import ExamineConfig, ListRef
from kavach.evidence.executors import Executor, local_executor
from kavach.evidence.inventory import ScanItem, inventory
from kavach.evidence.keys import NO_KEYS, KeyRing
from kavach.evidence.ports import ScanListVersion, ScanRepository
from kavach.evidence.records import FileResult, ItemResult, WarningResult
from kavach.evidence.scan_settings import ScanSettings
from kavach.evidence.sources import default_sources
from kavach.matching.list_index import ListIndex
from kavach.matching.matcher import Candidate, ExactMatcher, Match
from kavach.vocabulary import (
    MatchType,
    ScanStatus,
)


@dataclass
class ScanStats:
    """Where a scan's time went (for benchmarks and the curious)."""

    walk_seconds: float = 0.0
    examine_seconds: float = 0.0  # summed over workers
    match_seconds: float = 0.0
    write_seconds: float = 0.0
    items: int = 0


class Progress(Protocol):
    """Told how a scan advances: items examined, and batches committed."""

    def start(self, total: int, completed: int) -> None: ...

    def advance(self, items: int) -> None: ...

    def committed(self, scan_id: str, checkpoint: int) -> None:
        """A batch is in the database: a resume would start at ``checkpoint``."""
        ...


class _Silent:
    def start(self, total: int, completed: int) -> None:
        return None

    def advance(self, items: int) -> None:
        return None

    def committed(self, scan_id: str, checkpoint: int) -> None:
        return None


@dataclass(frozen=True)
class ScanStart:
    scan_id: str
    exhibit_id: int


def start_scan(
    root: Path,
    repository: ScanRepository,
    versions: Sequence[ScanListVersion],
    settings: ScanSettings,
    actor: str,
    case_ref: str | None = None,
    exhibit_label: str | None = None,
) -> ScanStart:
    """Record a new scan run of ``root`` against ``versions``; nothing is read yet."""
    resolved = root.resolve()
    if not resolved.exists():
        raise EvidenceError(f"{root}: no such file or folder")
    label = exhibit_label or resolved.name
    exhibit_id = repository.ensure_exhibit(case_ref, label, str(resolved), actor)
    scan_id = uuid.uuid4().hex
    repository.create_run(
        scan_id,
        exhibit_id,
        os.fsencode(resolved),
        settings.to_json(),
        __version__,
        actor,
        [v.version_id for v in versions],
    )
    return ScanStart(scan_id, exhibit_id)


def run_scan(
    scan_id: str,
    repository: ScanRepository,
    index_root: Path,
    workers: int = 1,
    batch_files: int = 256,
    progress: Progress | None = None,
    executor: Executor | None = None,
    stats: ScanStats | None = None,
) -> str:
    """Run (or resume) a scan to its end; returns the exhibit's integrity hash."""
    return run_scans(
        [scan_id],
        repository,
        index_root,
        workers,
        batch_files,
        progress,
        executor,
        stats,
    )[scan_id]


@dataclass
class _Plan:
    """One scan run's part of a (possibly many-exhibit) scan."""

    scan_id: str
    root: bytes
    config: ExamineConfig
    todo: list[ScanItem]
    total: int
    writer: _BatchWriter


def run_scans(
    scan_ids: Sequence[str],
    repository: ScanRepository,
    index_root: Path,
    workers: int = 1,
    batch_files: int = 256,
    progress: Progress | None = None,
    executor: Executor | None = None,
    stats: ScanStats | None = None,
    keys: KeyRing = NO_KEYS,
) -> dict[str, str]:
    """Run (or resume) several scans through one set of workers.

    Returns each exhibit's integrity hash. The exhibits' items are queued one after
    the other, so no core idles while the last files of one exhibit finish.
    """
    progress = progress or _Silent()
    executor = executor or local_executor(workers)
    stats = stats if stats is not None else ScanStats()
    started = time.perf_counter()
    plans = [
        _plan(scan_id, repository, index_root, batch_files, stats, progress, keys)
        for scan_id in scan_ids
    ]
    stats.walk_seconds += time.perf_counter() - started
    active = [plan for plan in plans if plan.todo or plan.writer.pending]
    total = sum(plan.total for plan in plans)
    progress.start(total, total - sum(len(plan.todo) for plan in plans))
    for plan in active:
        repository.set_status(plan.scan_id, ScanStatus.RUNNING)
    jobs = ((number, item) for number, plan in enumerate(plans) for item in plan.todo)
    try:
        for (number, _), result in executor.run([p.config for p in plans], jobs):
            plans[number].writer.add(result)
            stats.examine_seconds += result.seconds
            stats.items += 1
            progress.advance(1)
        for plan in plans:
            plan.writer.flush()
    except BaseException:
        for plan in active:
            repository.set_status(plan.scan_id, ScanStatus.INTERRUPTED)
        raise
    integrity = {}
    for plan in plans:
        integrity[plan.scan_id] = _integrity(repository, plan.scan_id, plan.root)
        repository.set_status(
            plan.scan_id, ScanStatus.COMPLETE, integrity[plan.scan_id]
        )
    return integrity


def _plan(
    scan_id: str,
    repository: ScanRepository,
    index_root: Path,
    batch_files: int,
    stats: ScanStats,
    progress: Progress,
    keys: KeyRing = NO_KEYS,
) -> _Plan:
    run = repository.get_run(scan_id)
    settings = ScanSettings.from_json(run.settings)
    refs = _list_refs(run.versions, index_root, settings)
    config = ExamineConfig(
        run.root_bytes,
        settings.limits,
        refs,
        settings.pdq_policy(),
        settings.video_policy(),
        keys,
    )
    if run.status is ScanStatus.COMPLETE:
        items: list[ScanItem] = []
        todo: list[ScanItem] = []
    else:
        if not os.path.exists(run.root_bytes):
            raise EvidenceError(
                f"{os.fsdecode(run.root_bytes)}: evidence no longer there"
            )
        items = list(inventory(run.root_bytes, default_sources(keys)))
        todo = [item for item in items if item.seq >= run.checkpoint]
    matcher = ExactMatcher(
        [
            ListIndex.open(
                Path(r.directory), r.version_id, r.name, r.role, r.pdq_threshold
            )
            for r in refs
        ]
    )
    writer = _BatchWriter(scan_id, repository, matcher, batch_files, stats, progress)
    return _Plan(scan_id, run.root_bytes, config, todo, len(items), writer)


def _list_refs(
    versions: Sequence[ScanListVersion], index_root: Path, settings: ScanSettings
) -> tuple[ListRef, ...]:
    refs = []
    for version in versions:
        directory = index_root / version.uid
        if not directory.is_dir():
            raise EvidenceError(
                f"index files of list {version.name!r} are missing "
                f"({directory}); re-import the list"
            )
        threshold = version.pdq_threshold
        refs.append(
            ListRef(
                str(directory),
                version.version_id,
                version.name,
                version.role,
                settings.pdq_threshold if threshold is None else threshold,
            )
        )
    return tuple(refs)


class _BatchWriter:
    """Gathers item results and writes them, matched, one transaction a batch."""

    def __init__(
        self,
        scan_id: str,
        repository: ScanRepository,
        matcher: ExactMatcher,
        batch_files: int,
        stats: ScanStats,
        progress: Progress,
    ) -> None:
        self._scan_id = scan_id
        self._progress = progress
        self._stats = stats
        self._repository = repository
        self._matcher = matcher
        self._batch_files = batch_files
        self._files: list[FileResult] = []
        self._warnings: list[WarningResult] = []
        self._next_seq: int | None = None

    @property
    def pending(self) -> bool:
        return self._next_seq is not None

    def add(self, result: ItemResult) -> None:
        self._files.extend(result.files)
        self._warnings.extend(result.warnings)
        self._next_seq = result.seq + 1
        if len(self._files) + len(self._warnings) >= self._batch_files:
            self.flush()

    def flush(self) -> None:
        if self._next_seq is None:
            return
        started = time.perf_counter()
        matches = self._match(self._files)
        matched = time.perf_counter()
        self._repository.write_batch(
            self._scan_id, self._files, matches, self._warnings, self._next_seq
        )
        self._progress.committed(self._scan_id, self._next_seq)
        self._stats.match_seconds += matched - started
        self._stats.write_seconds += time.perf_counter() - matched
        self._files, self._warnings, self._next_seq = [], [], None

    def _match(self, files: list[FileResult]) -> list[Match]:
        positions = [i for i, f in enumerate(files) if not f.known]
        candidates = [
            Candidate(files[i].md5, files[i].sha1, files[i].sha256, files[i].sha512)
            for i in positions
        ]
        found = {}
        for m in self._matcher.match(candidates):
            match = Match(
                positions[m.file],
                m.version_id,
                m.seq,
                m.algorithm,
                m.match_type,
                m.distance,
                m.variant,
            )
            found[(match.file, match.version_id, match.seq)] = match
        for position, record in enumerate(files):
            for p in record.pdq_matches:  # decided in the worker on the reference hash
                found.setdefault(
                    (position, p.version_id, p.seq),
                    Match(
                        position,
                        p.version_id,
                        p.seq,
                        p.algorithm,
                        MatchType.PERCEPTUAL,
                        p.distance,
                        p.variant,
                        p.detail,
                    ),
                )
        return [found[key] for key in sorted(found)]


def _integrity(repository: ScanRepository, scan_id: str, root: bytes) -> str:
    """SHA-256 of a lone file, or of the folder's "<sha256>  <path>" manifest."""
    rows = repository.top_level_digests(scan_id)
    if not os.path.isdir(root) and len(rows) == 1:
        return rows[0][1]
    manifest = hashlib.sha256()
    for path, sha256 in rows:
        manifest.update(sha256.encode() + b"  " + path + b"\n")
    return manifest.hexdigest()


def default_workers() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count() or 1,
    )
