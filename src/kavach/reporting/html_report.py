"""The HTML examination report of a scan: hashes and metadata only, never a picture."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from jinja2 import Environment, PackageLoader, select_autoescape

from kavach.reporting.rows import HitRow, RunRow, VerificationRow, WarningRow


@dataclass(frozen=True)
class ReportData:
    run: RunRow
    hits: list[HitRow]
    warnings: list[WarningRow]
    counts: dict[str, int]
    verifications: list[VerificationRow] = field(default_factory=list)


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("kavach.reporting", "templates"),
        autoescape=select_autoescape(["html"]),
    )


def render_report(data: ReportData) -> str:
    by_list = Counter((h.hashset, h.category or "-", h.status) for h in data.hits)
    by_stage = Counter(w.stage for w in data.warnings)
    return (
        _environment()
        .get_template("report.html")
        .render(
            run=data.run,
            hits=data.hits,
            warnings=data.warnings,
            counts=data.counts,
            verifications=data.verifications,
            integrity_failed=any(not v.ok for v in data.verifications),
            by_list=sorted(by_list.items()),
            by_stage=sorted(by_stage.items()),
            generated_at=datetime.now(UTC),
        )
    )
