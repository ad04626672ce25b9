"""The plain rows exports and reports are written from (no database types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class FileRow:
    path: str
    size: int
    md5: str
    sha1: str
    sha256: str
    pdq: str | None
    pdq_quality: int | None
    mime: str
    known: bool
    depth: int
    pdq_source: str | None
    deleted: bool = False
    carved: bool = False
    offset: int | None = None
    inode: int | None = None
    times: str | None = None
    extracted_as: str | None = None
    sha512: str | None = None  # only when a list of the scan carries SHA-512
    file_id: int = 0  # the record's row id: stable, used to review a file
    camera_make: str | None = None
    camera_model: str | None = None
    camera_serial: str | None = None
    taken_at: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    place: str | None = None
    modified_at: datetime | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class HitRow:
    path: str
    size: int
    md5: str
    sha1: str
    sha256: str
    pdq: str | None
    pdq_quality: int | None
    mime: str
    match_type: str
    algorithm: str
    distance: int
    variant: str | None
    hashset: str
    list_version: str
    category: str | None
    status: str
    partner_id: str | None
    series: str | None
    entry_pdq: str | None
    review: str
    detail: str | None = None
    hit_id: int = 0  # the hit's row id: stable, used to review it
    deleted: bool = False
    carved: bool = False
    offset: int | None = None
    inode: int | None = None
    times: str | None = None
    extracted_as: str | None = None
    sha512: str | None = None
    list_role: str = "alert"  # alert: material; tool / known: a tool on the device
    file_id: int = 0
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_category: str | None = None  # the examiner's, when set
    age_band: str | None = None
    self_produced: bool | None = None
    review_note: str | None = None

    @property
    def is_tool(self) -> bool:
        """A hit on a tool list, or a flagged entry of a known list (NSRL's
        malicious and special files): shown apart from material."""
        return self.list_role != "alert"


@dataclass(frozen=True, slots=True)
class WarningRow:
    path: str
    stage: str
    reason: str


@dataclass(frozen=True, slots=True)
class VerificationRow:
    image: str
    stage: str
    algorithm: str
    expected: str
    computed: str
    ok: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class ListVersionRow:
    name: str
    role: str
    source: str | None
    label: str
    format: str
    file_sha256: str
    entry_count: int
    imported_at: datetime
    scheme: str
    pdq_threshold: int | None = None  # the list's own; None: the scan's setting


@dataclass(frozen=True, slots=True)
class RunRow:
    id: str
    exhibit: str
    case_ref: str | None
    root: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    started_by: str
    tool_version: str
    settings: dict[str, Any]
    integrity_sha256: str | None
    lists: list[ListVersionRow]
