"""The examination report of an exhibit, as HTML and (the same template) as PDF:
hashes, metadata, findings and their review — never a picture."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from kavach.cases.records import CustodyEntry
from kavach.examination.papers import DeviceRow, ImageRow
from kavach.examination.survey import FileSurvey, local_production
from kavach.hashsets.categories import category_name
from kavach.reporting.rows import HitRow, RunRow, VerificationRow, WarningRow

IST = ZoneInfo("Asia/Kolkata")


@dataclass(frozen=True, slots=True)
class OutputFile:
    name: str
    sha256: str


@dataclass(frozen=True)
class ExhibitReport:
    run: RunRow
    hits: list[HitRow]
    warnings: list[WarningRow]
    counts: dict[str, int]
    verifications: list[VerificationRow] = field(default_factory=list)
    survey: FileSurvey | None = None
    outputs: list[OutputFile] = field(default_factory=list)
    device: DeviceRow | None = None
    custody: list[CustodyEntry] = field(default_factory=list)
    images: list[ImageRow] = field(default_factory=list)


@dataclass(frozen=True)
class FileHits:
    """The hits of one file, shown once with the file's hashes."""

    first: HitRow
    hits: list[HitRow]

    @property
    def review(self) -> str:
        states = {h.review for h in self.hits}
        return states.pop() if len(states) == 1 else "mixed"


def ist(moment: datetime | None) -> str:
    """Every time in the report in one zone: India Standard Time."""
    if moment is None:
        return "-"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(IST).strftime("%d %b %Y, %H:%M:%S IST")


def group_by_file(hits: list[HitRow]) -> list[FileHits]:
    groups: dict[tuple[int, str], list[HitRow]] = {}
    for row in hits:
        groups.setdefault((row.file_id, row.path), []).append(row)
    return [FileHits(rows[0], rows) for rows in groups.values()]


def verdict(data: ExhibitReport, files: list[FileHits], tools: int) -> str:
    """The one line a chief reads first."""
    if any(not v.ok for v in data.verifications):
        return "INTEGRITY CHECK FAILED: an image no longer matches its hashes."
    if not data.run.lists:
        return "No hash list was used: this report finds nothing either way."
    states = Counter(f.review for f in files)
    found = (
        f"{len(files)} file(s) matched alert lists: {states['confirmed']} confirmed, "
        f"{states['rejected']} rejected, {states['pending'] + states['mixed']} "
        "awaiting an examiner's review"
    )
    if not files:
        found = f"No file matched the {len(data.run.lists)} alert or known lists"
    found += f"; {tools} tool trace(s)" if tools else ""
    unread = data.counts.get("warnings", 0)
    found += f"; {unread} item(s) could not be read (see Warnings)." if unread else "."
    return found


def _legend(data: ExhibitReport, hits: list[HitRow]) -> list[tuple[str, str, str]]:
    schemes = {lst.name: lst.scheme for lst in data.run.lists}
    seen: dict[tuple[str, str], str] = {}
    for row in hits:
        for code in {row.category, row.review_category} - {None, ""}:
            scheme = schemes.get(row.hashset, "none")
            name = category_name(scheme, code) or "not published by the scheme"
            seen[(scheme, str(code))] = name
    return sorted((scheme, code, name) for (scheme, code), name in seen.items())


def _by_category_and_band(files: list[FileHits]) -> list[tuple[str, str, int]]:
    counts: Counter[tuple[str, str]] = Counter()
    for group in files:
        confirmed = [h for h in group.hits if h.review == "confirmed"]
        if confirmed:
            latest = max(confirmed, key=lambda h: h.reviewed_at or datetime.min)
            code = latest.review_category or latest.category or "none"
            counts[(code, latest.age_band or "unknown")] += 1
    return sorted((c, b, n) for (c, b), n in counts.items())


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("kavach.reporting", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    environment.filters["ist"] = ist
    return environment


def report_context(data: ExhibitReport, generated_at: datetime) -> dict[str, Any]:
    material = [h for h in data.hits if not h.is_tool]
    tool_hits = [h for h in data.hits if h.is_tool]
    # A file every examiner who looked at it rejected is not a finding: it is
    # counted (the verdict says how many) but not listed.
    groups = group_by_file(material)
    files = [g for g in groups if g.review != "rejected"]
    survey = data.survey
    tool_traces = len(tool_hits) + (len(survey.tools) if survey else 0)
    return {
        "run": data.run,
        "verdict": verdict(data, groups, tool_traces),
        "rejected": len(groups) - len(files),
        "files": files,
        "tool_hits": tool_hits,
        "survey": survey,
        "local": local_production(survey, [g.first.file_id for g in files])
        if survey
        else [],
        "warnings": data.warnings,
        "counts": data.counts,
        "verifications": data.verifications,
        "integrity_failed": any(not v.ok for v in data.verifications),
        "legend": _legend(data, material),
        "by_category": _by_category_and_band(files),
        "by_list": sorted(Counter((h.hashset, h.status) for h in material).items()),
        "outputs": data.outputs,
        "device": data.device,
        "custody": data.custody,
        "images": data.images,
        "generated_at": generated_at,
    }


def render_exhibit_report(
    data: ExhibitReport, generated_at: datetime | None = None
) -> str:
    context = report_context(data, generated_at or datetime.now(UTC))
    return _environment().get_template("exhibit_report.html").render(**context)
