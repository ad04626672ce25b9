"""Casework statistics: counts by month, district, station or operation, and trends."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import TextIO

from kavach.reporting.exports import safe_text

# India has one zone and no daylight saving; a fixed offset needs no tz database.
IST = timezone(timedelta(hours=5, minutes=30), "IST")
NO_GROUP = "(none)"
TOTAL = "total"
CASES = "cases"  # derived: FIRs plus seizure reports, the figure a chief gives


class Measure(StrEnum):
    """What one fact counts; each becomes a column of a table."""

    TIPS_RECEIVED = "tips_received"
    TIPS_ROUTED = "tips_routed"
    SEARCHES = "searches"
    LOCATIONS = "locations"  # distinct by key, not by row
    DEVICES_SEIZED = "devices_seized"
    FIRS = "firs"
    SEIZURE_REPORTS = "seizure_reports"
    ARRESTS = "arrests"
    CHARGE_SHEETS = "charge_sheets"
    CONVICTIONS = "convictions"


class Grouping(StrEnum):
    MONTH = "month"  # "YYYY-MM" in IST
    DISTRICT = "district"
    STATION = "station"
    OPERATION = "operation"


LABELS: dict[str, str] = {
    Measure.TIPS_RECEIVED: "Tips received",
    Measure.TIPS_ROUTED: "Tips routed",
    Measure.SEARCHES: "Searches",
    Measure.LOCATIONS: "Locations",
    Measure.DEVICES_SEIZED: "Devices seized",
    Measure.FIRS: "FIRs",
    Measure.SEIZURE_REPORTS: "Seizure reports",
    CASES: "Cases",
    Measure.ARRESTS: "Arrests",
    Measure.CHARGE_SHEETS: "Charge sheets",
    Measure.CONVICTIONS: "Convictions",
}
# Every figure a table or comparison carries, in column order: cases beside its parts.
FIGURES: list[str] = list(LABELS)


@dataclass(frozen=True)
class Fact:
    """One countable event, as the services read it from casework records.

    ``key`` matters only for ``locations``: the normalised address, so a house
    searched twice in a group counts once. A location without a key counts alone.
    """

    measure: Measure
    at: datetime
    district: str | None = None  # revenue district, upper case as India Post writes it
    station: str | None = None
    operation: str | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        # A naive time could fall in either of two IST months or days.
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"fact time {self.at.isoformat()} has no time zone")

    @property
    def ist_date(self) -> date:
        return self.at.astimezone(IST).date()

    def group(self, by: Grouping) -> str | None:
        if by is Grouping.MONTH:
            return self.ist_date.strftime("%Y-%m")
        if by is Grouping.DISTRICT:
            return self.district
        if by is Grouping.STATION:
            return self.station
        return self.operation


@dataclass
class _Tally:
    counts: Counter[Measure] = field(default_factory=Counter)
    location_keys: set[str] = field(default_factory=set)
    keyless_locations: int = 0

    def add(self, fact: Fact) -> None:
        if fact.measure is not Measure.LOCATIONS:
            self.counts[fact.measure] += 1
        elif fact.key is None:
            self.keyless_locations += 1
        else:
            self.location_keys.add(fact.key)

    def figures(self) -> dict[str, int]:
        found = {m.value: self.counts[m] for m in Measure}
        found[Measure.LOCATIONS] = len(self.location_keys) + self.keyless_locations
        found[CASES] = found[Measure.FIRS] + found[Measure.SEIZURE_REPORTS]
        return {name: found[name] for name in FIGURES}


@dataclass(frozen=True)
class StatsTable:
    """Rows of figures per group and the period's total.

    The total is not always the sum of the rows: a location searched in two months
    is one location of the period.
    """

    grouping: Grouping
    start: date | None
    end: date | None
    rows: list[dict[str, int | str]]
    total: dict[str, int | str]

    @property
    def columns(self) -> list[str]:
        return [self.grouping.value, *FIGURES]

    def as_records(self) -> list[dict[str, int | str]]:
        """One dict per row for JSON, the total last (its group is ``"total"``)."""
        return [dict(row) for row in [*self.rows, self.total]]

    def to_csv(self, stream: TextIO) -> None:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.as_records():
            # Station and operation names are typed by people: keep them inert.
            writer.writerow(_csv_cell(row[c]) for c in self.columns)


def _csv_cell(value: int | str) -> int | str:
    return safe_text(value) if isinstance(value, str) else value


def in_period(fact: Fact, start: date | None, end: date | None) -> bool:
    """Whether the fact's IST date lies in [start, end]; None leaves a side open."""
    day = fact.ist_date
    return (start is None or day >= start) and (end is None or day <= end)


def tabulate(
    facts: Iterable[Fact],
    by: Grouping,
    start: date | None = None,
    end: date | None = None,
) -> StatsTable:
    """The facts of [start, end] counted per group of ``by``.

    Months with nothing in them still get a row (a trend needs its zeros), from the
    period's first month, or the first fact's, to its last.
    """
    kept = [f for f in facts if in_period(f, start, end)]
    groups: dict[str | None, _Tally] = {}
    if by is Grouping.MONTH:
        groups = {month: _Tally() for month in _months(kept, start, end)}
    overall = _Tally()
    for fact in kept:
        groups.setdefault(fact.group(by), _Tally()).add(fact)
        overall.add(fact)
    # Months sort chronologically as text; "no group" goes after every name.
    order = sorted(groups, key=lambda name: (name is None, name or ""))
    rows = [_row(by, NO_GROUP if g is None else g, groups[g]) for g in order]
    return StatsTable(by, start, end, rows, _row(by, TOTAL, overall))


def _row(by: Grouping, label: str, tally: _Tally) -> dict[str, int | str]:
    return {by.value: label, **tally.figures()}


def _months(facts: list[Fact], start: date | None, end: date | None) -> list[str]:
    days = [f.ist_date for f in facts]
    first = start or min(days, default=None)
    last = end or max(days, default=None)
    if first is None or last is None:
        return []
    months: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class Change:
    """One figure of a period beside the same figure of the period before."""

    name: str  # a Measure value or "cases"
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def change_percent(self) -> float | None:
        """The change as a percentage of the previous figure; None from nothing."""
        if self.previous == 0:
            return None
        return self.change * 100 / self.previous

    def sentence(self, days: int) -> str:
        """E.g. ``Tips received: 1,204 (up 38% on the previous 90 days)``."""
        span = "day" if days == 1 else f"{days:,} days"
        return f"{LABELS[self.name]}: {self.current:,} ({self._trend(span)})"

    def _trend(self, span: str) -> str:
        percent = self.change_percent
        if percent is None:
            either = " either" if self.current == 0 else ""
            return f"none in the previous {span}{either}"
        if self.change == 0:
            return f"the same as the previous {span}"
        direction = "up" if self.change > 0 else "down"
        # "up 0%" would read as no change; say how small it is instead.
        amount = f"{abs(percent):.0f}%" if abs(percent) >= 0.5 else "less than 1%"
        return f"{direction} {amount} on the previous {span}"


@dataclass(frozen=True)
class Comparison:
    """A period's figures against those of the equally long period just before it."""

    start: date
    end: date
    previous_start: date
    previous_end: date
    changes: dict[str, Change]  # by figure name, in FIGURES order

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def sentence(self, name: str = Measure.TIPS_RECEIVED) -> str:
        return self.changes[name].sentence(self.days)

    def sentences(self) -> list[str]:
        return [change.sentence(self.days) for change in self.changes.values()]

    def as_records(self) -> list[dict[str, int | float | str | None]]:
        return [
            {
                "measure": c.name,
                "current": c.current,
                "previous": c.previous,
                "change": c.change,
                "change_percent": c.change_percent,
            }
            for c in self.changes.values()
        ]


def compare(facts: Iterable[Fact], start: date, end: date) -> Comparison:
    """[start, end] against the period of the same length ending the day before."""
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    kept = list(facts)
    previous_end = start - timedelta(days=1)
    previous_start = previous_end - (end - start)
    now = _overall(kept, start, end)
    before = _overall(kept, previous_start, previous_end)
    changes = {name: Change(name, now[name], before[name]) for name in FIGURES}
    return Comparison(start, end, previous_start, previous_end, changes)


def _overall(facts: list[Fact], start: date, end: date) -> dict[str, int]:
    tally = _Tally()
    for fact in facts:
        if in_period(fact, start, end):
            tally.add(fact)
    return tally.figures()
