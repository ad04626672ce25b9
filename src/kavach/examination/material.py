"""Confirmed material: decisions on files no list holds, and the counts by category
and age band that a unit's statements about seized material come from."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from kavach.errors import InputError
from kavach.vocabulary import AgeBand, Review

IST = ZoneInfo("Asia/Kolkata")


@dataclass(frozen=True, slots=True)
class FileReview:
    """An examiner's decision on a file that no list holds (new material)."""

    file_id: int
    scan_id: str
    decision: Review
    note: str | None
    by: str | None
    category: str | None = None
    age_band: AgeBand | None = None
    self_produced: bool | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MediaReview:
    """An examiner's decision on a known media record: a chat's file whose SHA-256
    a list held, the file itself gone from the phone ("known file, once present")."""

    media_id: int
    device: str  # the seized device's label
    decision: Review
    note: str | None
    by: str | None
    category: str | None = None
    age_band: AgeBand | None = None
    self_produced: bool | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class KnownMediaRow:
    """A known media record as the examiner reviews it, with its latest decision."""

    media_id: int
    device: str
    app: str
    sha256: str
    size: int | None
    path: str | None
    at: datetime | None
    chat: str | None
    sender: str | None
    from_owner: bool
    lists: list[dict[str, str | None]]
    decision: Review  # pending until an examiner decides
    category: str | None
    decided_by: str | None


@dataclass(frozen=True, slots=True)
class MaterialDecision:
    """The current decision on one reviewed hit or file, and where it belongs."""

    exhibit: str
    exhibit_id: int
    sha256: str
    decision: Review
    category: str
    age_band: str
    decided_at: datetime
    seen_at: datetime  # the seizure, when the exhibit is a seized device; else the scan
    operation: str | None
    new_material: bool


@dataclass(frozen=True, slots=True)
class NewMaterialRow:
    """A file confirmed as new material, with what partners are sent of it."""

    file_id: int
    scan_id: str
    exhibit: str
    case_ref: str | None
    path: str
    size: int
    md5: str
    sha1: str
    sha256: str
    sha512: str | None
    pdq: str | None
    mime: str
    category: str | None
    age_band: str | None
    self_produced: bool | None
    note: str | None
    by: str
    at: datetime
    deleted: bool = False
    carved: bool = False
    times: str | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    camera_serial: str | None = None
    taken_at: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    place: str | None = None


def check_decision(
    what: str,
    decision: Review,
    note: str | None,
    age_band: AgeBand | None,
    self_produced: bool | None,
) -> None:
    """``InputError`` for a decision that does not hold together (``what``: "hit"
    or "file"): back to pending needs a reason; an age band belongs to material."""
    if decision is Review.PENDING and note is None:
        raise InputError(f"a {what} is set back to pending only with a --note why")
    if decision is not Review.CONFIRMED and (age_band or self_produced):
        raise InputError(f"--age-band and --self-produced go with a confirmed {what}")


def decision_detail(
    decision: Review,
    note: str | None,
    category: str | None,
    age_band: AgeBand | None,
    self_produced: bool | None,
) -> dict[str, object]:
    """What the audit entry of a review records of the decision (the caller adds
    where the reviewed thing is: its scan, or its device)."""
    return {
        "decision": decision.value,
        "note": note,
        "category": category,
        "age_band": age_band.value if age_band else None,
        "self_produced": self_produced,
    }


class MaterialGrouping(StrEnum):
    EXHIBIT = "exhibit"
    OPERATION = "operation"
    MONTH = "month"  # of the seizure (IST), else of the scan


@dataclass(frozen=True, slots=True)
class MaterialCount:
    group: str | None  # the exhibit, operation or month; None when not grouped
    category: str
    age_band: str
    count: int


def current_items(decisions: list[MaterialDecision]) -> list[MaterialDecision]:
    """One decision per distinct file of an exhibit (by SHA-256), the latest.

    A file two lists matched, or one scanned again in a second run, is one item of
    material: counting hits would count it twice. The latest decision wins, so a
    confirmation withdrawn in a later review no longer counts.
    """
    latest: dict[tuple[int, str], MaterialDecision] = {}
    for item in decisions:
        key = (item.exhibit_id, item.sha256)
        if key not in latest or item.decided_at >= latest[key].decided_at:
            latest[key] = item
    return [i for i in latest.values() if i.decision is Review.CONFIRMED]


def count_material(
    decisions: list[MaterialDecision], by: MaterialGrouping | None = None
) -> list[MaterialCount]:
    """Confirmed items by (group,) category and age band, in a stable order."""
    counts = Counter(
        (_group(item, by), item.category, item.age_band)
        for item in current_items(decisions)
    )
    return [
        MaterialCount(group, category, band, n)
        for (group, category, band), n in sorted(counts.items(), key=_order)
    ]


def age_band_shares(counts: list[MaterialCount]) -> dict[str, int]:
    """Confirmed items per age band (all groups together), every band present."""
    totals = dict.fromkeys((b.value for b in AgeBand), 0)
    for row in counts:
        totals[row.age_band] = totals.get(row.age_band, 0) + row.count
    return totals


def _group(item: MaterialDecision, by: MaterialGrouping | None) -> str | None:
    if by is MaterialGrouping.EXHIBIT:
        return item.exhibit
    if by is MaterialGrouping.OPERATION:
        return item.operation or "(no operation)"
    if by is MaterialGrouping.MONTH:
        return item.seen_at.astimezone(IST).strftime("%Y-%m")
    return None


_BAND_ORDER = {band.value: n for n, band in enumerate(AgeBand)}


def _order(entry: tuple[tuple[str | None, str, str], int]) -> tuple[str, str, int]:
    (group, category, band), _ = entry
    return (group or "", category, _BAND_ORDER.get(band, len(_BAND_ORDER)))
