"""Exporting a scan's hits for partners and tools, and reviewing hits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TextIO

from kavach.audit.ports import AuditLog
from kavach.errors import InputError
from kavach.evidence.ports import HitReview, ScanRepository
from kavach.reporting.exports import (
    write_hits_csv,
    write_hits_json,
    write_hits_jsonl,
    write_hits_vics,
)
from kavach.reporting.ports import ReportQueries
from kavach.vocabulary import AgeBand, Review, ScanStatus


class HitFormat(StrEnum):
    CSV = "csv"
    JSON = "json"  # one JSON array
    JSONL = "jsonl"  # one JSON object a line
    VICS = "vics"  # a VICS 2.0 Media document


@dataclass(frozen=True)
class Export:
    """Which run was exported, and how many records were written (VICS: files)."""

    scan_id: str
    exhibit: str
    status: str
    records: int


class HitService:
    def __init__(
        self, scans: ScanRepository, reports: ReportQueries, audit: AuditLog
    ) -> None:
        self._scans = scans
        self._reports = reports
        self._audit = audit

    def export(
        self, scan_id: str | None, format: HitFormat, out: TextIO, actor: str
    ) -> Export:
        """Write the hits of ``scan_id`` (a unique prefix will do; default: the
        latest run); audited. A run still running is refused: its hits are not all
        in yet.
        """
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
                "hits when it completes, or resume it if it was stopped"
            )
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
        if decision is Review.PENDING and note is None:
            raise InputError("a hit is set back to pending only with a --note why")
        if decision is not Review.CONFIRMED and (age_band or self_produced):
            raise InputError("--age-band and --self-produced go with a confirmed hit")
        review = self._scans.review_hit(
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
                "decision": decision.value,
                "note": note,
                "category": category,
                "age_band": age_band.value if age_band else None,
                "self_produced": self_produced,
            },
        )
        return review

    def history(self, hit_id: int, actor: str) -> list[HitReview]:
        """Every decision on a hit, oldest first (who, when, what, why)."""
        reviews = self._scans.review_history(hit_id)
        self._audit.record(
            actor, "hit.history", str(hit_id), {"decisions": len(reviews)}
        )
        return reviews

    def material(self, actor: str) -> list[dict[str, object]]:
        """Confirmed hits by category and age band: what the unit says of the
        material it seized comes from these counts, never from unreviewed hits."""
        rows = [
            {"category": c, "age_band": b, "count": n}
            for c, b, n in self._scans.material_counts()
        ]
        self._audit.record(actor, "stats.material", "hits", {"groups": len(rows)})
        return rows
