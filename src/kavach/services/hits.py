"""Exporting a scan's hits and files for partners and tools, and reviewing hits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TextIO

from kavach.audit.ports import AuditLog
from kavach.errors import InputError
from kavach.evidence.ports import HitReview, ScanRepository
from kavach.examination.material import check_decision, decision_detail
from kavach.examination.ports import ReviewRepository
from kavach.reporting.exports import (
    write_files_csv,
    write_files_json,
    write_files_jsonl,
    write_hits_csv,
    write_hits_json,
    write_hits_jsonl,
    write_hits_vics,
)
from kavach.reporting.ports import ReportQueries
from kavach.reporting.rows import RunRow
from kavach.vocabulary import AgeBand, Review, ScanStatus


class HitFormat(StrEnum):
    CSV = "csv"
    JSON = "json"  # one JSON array
    JSONL = "jsonl"  # one JSON object a line
    VICS = "vics"  # a VICS 2.0 Media document


class FileFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


@dataclass(frozen=True)
class Export:
    """Which run was exported, and how many records were written (VICS: files)."""

    scan_id: str
    exhibit: str
    status: str
    records: int


class HitService:
    def __init__(
        self,
        scans: ScanRepository,
        reports: ReportQueries,
        reviews: ReviewRepository,
        audit: AuditLog,
    ) -> None:
        self._scans = scans
        self._reports = reports
        self._reviews = reviews
        self._audit = audit

    def export(
        self, scan_id: str | None, format: HitFormat, out: TextIO, actor: str
    ) -> Export:
        """Write the hits of ``scan_id`` (a unique prefix will do; default: the
        latest run); audited. A run still running is refused: its hits are not all
        in yet.
        """
        run = self._finished_run(scan_id)
        rows = self._reports.hits(run.id)
        if format is HitFormat.CSV:
            count = write_hits_csv(out, rows)
        elif format is HitFormat.JSON:
            count = write_hits_json(out, rows)
        elif format is HitFormat.JSONL:
            count = write_hits_jsonl(out, rows)
        else:
            count = write_hits_vics(out, rows, source_id=run.exhibit)
        self._audit.record(
            actor, "hits.export", run.id, {"format": format.value, "records": count}
        )
        return Export(run.id, run.exhibit, run.status, count)

    def export_files(
        self, scan_id: str | None, format: FileFormat, out: TextIO, actor: str
    ) -> Export:
        """Write the file records of ``scan_id`` (default: the latest run), each
        with the ``file_id`` that ``kavach files review`` takes; audited."""
        run = self._finished_run(scan_id)
        rows = self._reports.files(run.id)
        if format is FileFormat.CSV:
            count = write_files_csv(out, rows)
        elif format is FileFormat.JSON:
            count = write_files_json(out, rows)
        else:
            count = write_files_jsonl(out, rows)
        self._audit.record(
            actor, "files.export", run.id, {"format": format.value, "records": count}
        )
        return Export(run.id, run.exhibit, run.status, count)

    def _finished_run(self, scan_id: str | None) -> RunRow:
        chosen = self._scans.resolve_run(scan_id) if scan_id else None
        run = self._reports.run(chosen or self._scans.latest_run_id())
        if run.status == ScanStatus.RUNNING.value:
            if any(r.id == run.id and r.gone() for r in self._scans.runs()):
                raise InputError(
                    f"scan run {run.id} ({run.exhibit}) was stopped (its process is "
                    f"gone); finish it with 'kavach scan --resume {run.id[:8]}'"
                )
            raise InputError(
                f"scan run {run.id} ({run.exhibit}) is still running; export its "
                "records when it completes, or resume it if it was stopped"
            )
        return run

    def review(
        self,
        hit_id: int,
        decision: Review,
        actor: str,
        note: str | None = None,
        category: str | None = None,
        age_band: AgeBand | None = None,
        self_produced: bool | None = None,
    ) -> HitReview:
        """Record an examiner's decision on a hit, kept with every earlier one;
        audited."""
        check_decision("hit", decision, note, age_band, self_produced)
        review = self._reviews.review_hit(
            HitReview(
                hit_id, "", decision, note, actor, category, age_band, self_produced
            )
        )
        self._audit.record(
            actor,
            "hit.review",
            str(hit_id),
            {
                "scan": review.scan_id,
                **decision_detail(decision, note, category, age_band, self_produced),
            },
        )
        return review

    def history(self, hit_id: int, actor: str) -> list[HitReview]:
        """Every decision on a hit, oldest first (who, when, what, why)."""
        reviews = self._reviews.hit_history(hit_id)
        self._audit.record(
            actor, "hit.history", str(hit_id), {"decisions": len(reviews)}
        )
        return reviews
