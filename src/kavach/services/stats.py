"""Statistics of the casework: counts by month, district, station and operation,
a period against the previous one, charts; and the operations' search packages."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kavach.audit.ports import AuditLog
from kavach.errors import InputError
from kavach.services.folders import out_folder

if TYPE_CHECKING:
    from kavach.reporting.casework_stats import Comparison, Fact, Grouping, StatsTable
    from kavach.reporting.packages import StationPackage


class StatsQueries(Protocol):
    def facts(self) -> list[Fact]: ...


class PackageQueries(Protocol):
    def packages(self, name: str, actor: str) -> list[StationPackage]: ...


class StatsService:
    def __init__(
        self, queries: StatsQueries, packages: PackageQueries, audit: AuditLog
    ) -> None:
        self._queries = queries
        self._packages = packages
        self._audit = audit
        self._svg: dict[tuple[object, ...], str] = {}

    def table(
        self, by: Grouping, start: date | None, end: date | None, actor: str
    ) -> StatsTable:
        from kavach.reporting.casework_stats import tabulate

        _period(start, end)
        table = tabulate(self._queries.facts(), by, start, end)
        self._audit.record(
            actor, "stats.table", by.value, {"from": str(start), "to": str(end)}
        )
        return table

    def overview(self, actor: str) -> tuple[StatsTable, StatsTable]:
        """The dashboard's two tables, by month and by district, read once and
        audited once."""
        from kavach.reporting.casework_stats import Grouping, tabulate

        facts = self._queries.facts()
        months = tabulate(facts, Grouping.MONTH, None, None)
        districts = tabulate(facts, Grouping.DISTRICT, None, None)
        self._audit.record(actor, "stats.overview", "dashboard", {})
        return months, districts

    def compare(self, start: date, end: date, actor: str) -> Comparison:
        from kavach.reporting.casework_stats import compare

        _period(start, end)
        comparison = compare(self._queries.facts(), start, end)
        self._audit.record(actor, "stats.compare", f"{start}..{end}", {})
        return comparison

    def chart_svg(
        self, table: StatsTable, title: str, figure: str | None = None
    ) -> str:
        """One chart as SVG text for a page (cached: the dashboard draws it once
        per change of its figures, not once per visit)."""
        key = (title, figure, table.grouping, repr(table.rows))
        if key not in self._svg:
            from kavach.reporting.charts import chart_svg

            if len(self._svg) > 32:
                self._svg.clear()
            self._svg[key] = chart_svg(table, title, figure)
        return self._svg[key]

    def charts(self, table: StatsTable, out_dir: Path, title: str) -> list[Path]:
        from kavach.reporting.charts import draw_charts

        return draw_charts(table, out_folder(out_dir, "--charts"), title)

    def write_packages(self, name: str, out_dir: Path, actor: str) -> list[Path]:
        """One package per station (CSV and printable HTML): addresses, identifiers,
        tip summaries, legal sections — never any material, its names or hashes."""
        from kavach.reporting.packages import write_packages

        packages = self._packages.packages(name, actor)
        out_folder(out_dir)
        paths = write_packages(out_dir, packages)
        self._audit.record(
            actor,
            "operation.packages",
            name,
            {
                "out": str(out_dir.resolve()),
                "stations": len(packages),
                "targets": sum(len(p.targets) for p in packages),
            },
        )
        return paths


def _period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InputError(f"--to {end} is before --from {start}")
