"""Starting, running, resuming and finishing scans of exhibits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kavach.audit.ports import AuditLog
from kavach.errors import InputError, NoFilesError, NoListsError
from kavach.evidence.intake import Check
from kavach.evidence.keys import NO_KEYS, KeyRing
from kavach.evidence.limits import Limits
from kavach.evidence.ports import RunSummary, ScanListVersion, ScanRepository
from kavach.evidence.scan_settings import ScanSettings
from kavach.hashsets.ports import HashsetRepository
from kavach.reporting.ports import ReportQueries
from kavach.services.exhibits import ExhibitService
from kavach.settings import Settings

if TYPE_CHECKING:  # the scan engine loads numpy, Pillow, PyAV and The Sleuth Kit
    from kavach.evidence.executors import Executor
    from kavach.evidence.scan import Progress, ScanStats

# (image path, bytes done, bytes total) while images are checked after a scan.
OnImageBytes = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ScanOutcome:
    """A finished scan run: its counts, integrity hash and image checks."""

    scan_id: str
    exhibit: str  # the exhibit's label
    counts: dict[str, int]
    integrity: str
    checks: dict[str, list[Check]] = field(default_factory=dict)  # image -> checks

    @property
    def images_ok(self) -> bool:
        return all(c.ok for checks in self.checks.values() for c in checks)

    def refuse_empty(self) -> None:
        """``NoFilesError`` when the scan found no file at all."""
        if self.counts.get("files", 0) == 0:
            raise NoFilesError(
                f"scan run {self.scan_id} ({self.exhibit}) found no file to examine; "
                "check the path (give --allow-empty to accept an empty exhibit)"
            )


class ScanService:
    def __init__(
        self,
        scans: ScanRepository,
        hashsets: HashsetRepository,
        reports: ReportQueries,
        exhibits: ExhibitService,
        audit: AuditLog,
        index_root: Path,
        settings: Settings,
    ) -> None:
        self._scans = scans
        self._hashsets = hashsets
        self._reports = reports
        self._exhibits = exhibits
        self._audit = audit
        self._index_root = index_root
        self._settings = settings

    def default_settings(
        self, rotations: bool = True, fast_pdq: bool = True, unletterbox: bool = True
    ) -> ScanSettings:
        """The scan settings the ``KAVACH_*`` settings give, with these choices."""
        s = self._settings
        return ScanSettings(
            pdq_threshold=s.pdq_threshold,
            pdq_min_quality=s.pdq_min_quality,
            rotations=rotations,
            pdq_fast=fast_pdq,
            unletterbox=unletterbox,
            pdq_fast_margin=s.pdq_fast_margin,
            limits=Limits(
                s.archive_max_depth,
                s.archive_max_member_bytes,
                s.archive_max_ratio,
                s.archive_ratio_floor_bytes,
                s.archive_max_members,
                s.archive_max_seconds,
            ),
        )

    def lists_now(
        self, only: Sequence[str] = (), exclude: Sequence[str] = ()
    ) -> list[ScanListVersion]:
        """The list versions a scan started now would use: every list that is not
        retired, or just ``only``, less ``exclude``. Unknown names are errors."""
        current = ScanListVersion.current(self._hashsets.current_infos())
        names = {v.name for v in current}
        unknown = sorted((set(only) | set(exclude)) - names)
        if unknown:
            raise InputError(
                f"no usable list named {', '.join(map(repr, unknown))} (retired, or "
                f"never imported; usable: {', '.join(sorted(names)) or 'none'})"
            )
        return [
            v for v in current if (not only or v.name in only) and v.name not in exclude
        ]

    def start(
        self,
        path: Path,
        actor: str,
        case_ref: str | None = None,
        exhibit: str | None = None,
        settings: ScanSettings | None = None,
        allow_empty: bool = False,
        lists: Sequence[str] = (),
        exclude_lists: Sequence[str] = (),
    ) -> str:
        """Record a new scan run of ``path`` against every current list; audited.

        With no list to match, the scan could only ever say "0 hits": refused
        unless ``allow_empty`` (listing and hashing only).
        """
        from kavach.evidence.scan import start_scan

        versions = self.lists_now(lists, exclude_lists)
        if not versions and not allow_empty:
            raise NoListsError(
                "no hash list is imported, so nothing can match: import one "
                "(kavach hashset import), or give --allow-empty to only list and "
                "hash the files"
            )
        started = start_scan(
            path,
            self._scans,
            versions,
            settings or self.default_settings(),
            actor,
            case_ref,
            exhibit,
        )
        self._audit.record(
            actor,
            "scan.start",
            started.scan_id,
            {
                "path": str(path.resolve()),
                "case": case_ref,
                "exhibit": exhibit,
                "lists": [v.name for v in versions],
            },
        )
        return started.scan_id

    def resume(self, scan_id: str, actor: str) -> str:
        """Mark ``scan_id`` to be run again from its checkpoint; audited."""
        run = self._scans.get_run(self._scans.resolve_run(scan_id))
        self._audit.record(
            actor,
            "scan.resume",
            run.id,
            {"status": run.status.value, "checkpoint": run.checkpoint},
        )
        return run.id

    def latest(self) -> str:
        return self._scans.latest_run_id()

    def resolve(self, prefix: str) -> str:
        """The full id of the run ``prefix`` names (unique prefixes accepted)."""
        return self._scans.resolve_run(prefix)

    def runs(self) -> list[RunSummary]:
        """Every scan run, oldest first, with its state, exhibit, who and when."""
        return self._scans.runs()

    def run(
        self,
        scan_ids: Sequence[str],
        workers: int | None = None,
        executor: Executor | None = None,
        progress: Progress | None = None,
        stats: ScanStats | None = None,
        batch_files: int | None = None,
        keys: KeyRing = NO_KEYS,
        actor: str | None = None,
    ) -> dict[str, str]:
        """Examine every started run to its end; returns each integrity hash.

        ``keys`` unlock encrypted volumes; the audit log records which volumes and
        kinds of key ``actor`` gave, never a secret.
        """
        from kavach.evidence.executors import local_executor
        from kavach.evidence.scan import default_workers, run_scans

        if keys:
            for scan_id in scan_ids:
                self._audit.record(
                    actor or "unknown",
                    "scan.keys_given",
                    scan_id,
                    {"keys": keys.described()},
                )
        count = workers or self._settings.workers or default_workers()
        return run_scans(
            scan_ids,
            self._scans,
            self._index_root,
            batch_files=batch_files or self._settings.batch_files,
            progress=progress,
            executor=executor or local_executor(count),
            stats=stats,
            keys=keys,
        )

    def finish(
        self, scan_id: str, actor: str, on_bytes: OnImageBytes | None = None
    ) -> ScanOutcome:
        """Check every registered image the scan read, then audit the completion."""
        run = self._reports.run(scan_id)
        checks: dict[str, list[Check]] = {}
        for image in self._exhibits.images_under(run.root):
            progress = _for_image(on_bytes, image.path)
            checks[image.path] = self._exhibits.verify_registered(
                image, actor, progress, scan_id
            )
        counts = self._reports.counts(scan_id)
        integrity = run.integrity_sha256 or ""
        self._audit.record(
            actor,
            "scan.complete",
            scan_id,
            {
                **counts,
                "integrity": integrity,
                "images_ok": all(c.ok for cs in checks.values() for c in cs),
            },
        )
        return ScanOutcome(scan_id, run.exhibit, counts, integrity, checks)

    def write_outputs(self, scan_id: str, out_dir: Path, actor: str) -> Path:
        """hits.csv, files.csv, warnings.csv and report.html; audited."""
        from kavach.reporting.outputs import write_scan_outputs

        report = write_scan_outputs(self._reports, scan_id, out_dir)
        self._audit.record(
            actor, "scan.outputs", scan_id, {"out": str(out_dir.resolve())}
        )
        return report

    def scan(
        self,
        path: Path,
        actor: str,
        case_ref: str | None = None,
        exhibit: str | None = None,
        settings: ScanSettings | None = None,
        workers: int | None = None,
        progress: Progress | None = None,
        allow_empty: bool = False,
    ) -> ScanOutcome:
        """Start, run and finish one scan: what the demo and the tests do."""
        scan_id = self.start(path, actor, case_ref, exhibit, settings, allow_empty)
        self.run([scan_id], workers=workers, progress=progress)
        return self.finish(scan_id, actor)


def _for_image(
    on_bytes: OnImageBytes | None, image: str
) -> Callable[[int, int], None] | None:
    if on_bytes is None:
        return None
    return lambda done, total: on_bytes(image, done, total)
