"""What the tip, ISP and target services need from storage (``kavach.storage``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from kavach.casework_vocabulary import AttributionState, LocatedBy
from kavach.tips.model import ParsedTip
from kavach.tips.scoring import TargetFacts


@dataclass(slots=True)
class TipToSave:
    """A parsed tip with what the import learnt about it."""

    tip: ParsedTip
    format: str
    file_name: str
    content_sha256: str
    content: dict[str, Any]  # the canonical form the digest is over (for history)
    list_matches: list[list[dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SaveResult:
    new: int
    updated: int
    unchanged: int
    tip_ids: list[int]


@dataclass(frozen=True, slots=True)
class EventRow:
    """An IP event as the ISP services see it."""

    id: int
    tip_id: int
    report_id: str
    address: str
    port: int | None
    at: datetime | None
    event: str | None
    attribution: AttributionState


@dataclass(frozen=True, slots=True)
class WindowRow:
    id: int
    address: str
    port_low: int | None
    port_high: int | None
    start: datetime
    end: datetime
    subscriber: str | None
    postal_address: str | None
    pincode: str | None
    phone: str | None
    row: str


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a tip was placed, how, and the station it is routed to."""

    revenue_district: str | None
    police_district_id: int | None
    station_id: int | None
    located_by: LocatedBy | None
    detail: str


@dataclass(frozen=True, slots=True)
class TipPlaceFacts:
    """What placing a tip looks at."""

    tip_id: int
    attributed: list[WindowRow]  # subscriber windows of its attributed events
    addresses: list[str]  # every event address, for GeoIP
    est_city: str | None
    est_region: str | None
    est_country: str | None


@dataclass(frozen=True, slots=True)
class TipRow:
    """A tip as ``kavach tips list`` shows it."""

    id: int
    source: str
    report_id: str
    received: datetime | None
    esp: str | None
    incident_type: str | None
    district: str | None
    police_district: str | None
    station: str | None
    located_by: str | None
    target_id: int | None
    files: int
    files_on_lists: int
    revision: int
    high_priority: bool
    placement: str | None = None  # how and why it was placed, or "HQ queue"

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "report_id": self.report_id,
            "received": self.received.isoformat() if self.received else None,
            "esp": self.esp,
            "incident_type": self.incident_type,
            "district": self.district,
            "police_district": self.police_district,
            "station": self.station,
            "located_by": self.located_by,
            "target_id": self.target_id,
            "files": self.files,
            "files_on_lists": self.files_on_lists,
            "revision": self.revision,
            "high_priority": self.high_priority,
            "placement": self.placement,
        }


@dataclass(frozen=True, slots=True)
class TargetRow:
    id: int
    tips: list[str]
    identifiers: list[dict[str, str | None]]
    district: str | None
    police_district: str | None
    station: str | None
    score: int
    explanation: list[dict[str, Any]]
    same_connection: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tips": self.tips,
            "identifiers": self.identifiers,
            "district": self.district,
            "police_district": self.police_district,
            "station": self.station,
            "score": self.score,
            "explanation": self.explanation,
            "same_connection": self.same_connection,
        }


class TipRepository(Protocol):
    def save(self, tips: Sequence[TipToSave], actor: str) -> SaveResult:
        """Insert new tips, update changed ones (history kept); one transaction."""
        ...

    def identifier_keys(self) -> dict[int, set[str]]:
        """Every tip's identifier keys (reported persons only)."""
        ...

    def current_targets(self) -> dict[int, int | None]: ...

    def apply_targets(
        self, groups: Sequence[list[int]], chosen: Sequence[int | None]
    ) -> dict[int, list[int]]:
        """Give each group its target (new ones created); drop emptied targets that
        nothing refers to. Returns target id -> tip ids."""
        ...

    def target_facts(self) -> dict[int, TargetFacts]: ...

    def set_scores(
        self, scores: dict[int, tuple[int, list[dict[str, Any]]]]
    ) -> None: ...

    def events(self, only_open: bool) -> list[EventRow]: ...

    def set_attributions(
        self, results: Sequence[tuple[int, AttributionState, str, int | None]]
    ) -> None:
        """(event id, state, reason, window id) for each event."""
        ...

    def place_facts(self, tip_ids: Sequence[int] | None) -> list[TipPlaceFacts]: ...

    def set_placements(self, placements: dict[int, Placement]) -> None:
        """Store placements; a tip an analyst routed by hand keeps its route."""
        ...

    def route(self, tip_id: int, station: str, note: str | None) -> str:
        """Route a tip to a station by hand (``NotFoundError`` for an unknown tip
        or station); returns the station's name."""
        ...

    def tips(self, limit: int | None = None) -> list[TipRow]: ...

    def targets(self, limit: int | None = None) -> list[TargetRow]: ...

    def save_reply(
        self,
        file_name: str,
        file_sha256: str,
        isp: str | None,
        windows: Sequence[Any],
        actor: str,
    ) -> int | None:
        """Store a reply's windows; None when this file was imported before."""
        ...

    def windows(self) -> list[WindowRow]: ...
