"""The casework records a service is asked to write: searches, devices, custody
steps, cases, arrests, outcomes. Plain values; storage gives them ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kavach.casework_vocabulary import CaseKind, CustodyStep, Outcome


@dataclass(frozen=True, slots=True)
class NewOperation:
    name: str
    starts_on: date
    ends_on: date
    districts: tuple[str, ...] = ()
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class NewSearch:
    operation: str | None
    location: str
    started_at: datetime
    team_lead: str
    station: str | None = None  # police station name (any police district)
    target_id: int | None = None
    ended_at: datetime | None = None
    witnesses: tuple[str, ...] = ()
    recording_file: str | None = None  # BNSS s.105: the audio-video recording
    recording_sha256: str | None = None
    recording_forwarded_at: datetime | None = None  # to the magistrate
    outcome: str | None = None
    notes: str | None = None
    children: tuple[int | None, ...] = ()  # ages of children living at the place


@dataclass(frozen=True, slots=True)
class NewDevice:
    label: str
    device_type: str
    seized_at: datetime
    search_id: int | None = None
    make: str | None = None
    model: str | None = None
    imei: str | None = None
    serial: str | None = None
    seal_number: str | None = None
    owner_person_id: int | None = None  # the person it was seized from


@dataclass(frozen=True, slots=True)
class NewCustodyStep:
    device: str  # the device's label
    step: CustodyStep
    at: datetime
    by: str
    place: str | None = None
    remarks: str | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    kind: CaseKind
    station: str
    year: int
    serial: int
    registered_at: datetime
    sections: tuple[str, ...] = ()
    operation: str | None = None
    search_id: int | None = None
    target_id: int | None = None
    informant: str | None = None

    def number_text(self, police_district: str) -> str:
        """The number as printed: "FIR No. 03 of 2020, P.S. Fort (Thiruvananthapuram
        City)", or the seizure report's."""
        label = "FIR No." if self.kind is CaseKind.FIR else "Seizure Report No."
        return (
            f"{label} {self.serial:02d} of {self.year}, P.S. {self.station} "
            f"({police_district})"
        )


@dataclass(frozen=True, slots=True)
class NewPerson:
    name: str
    name_malayalam: str | None = None
    father_name: str | None = None
    date_of_birth: date | None = None
    age: int | None = None
    address: str | None = None
    pincode: str | None = None
    identifiers: tuple[tuple[str, str | None, str], ...] = ()  # kind, service, value


@dataclass(frozen=True, slots=True)
class NewArrest:
    case_id: int
    person_id: int
    at: datetime
    by: str
    place: str | None = None


@dataclass(frozen=True, slots=True)
class NewOutcome:
    case_id: int
    outcome: Outcome
    decided_at: datetime
    person_id: int | None = None
    court: str | None = None
    sentence: str | None = None


@dataclass(frozen=True, slots=True)
class CustodyEntry:
    device: str
    step: str
    at: datetime
    by: str
    place: str | None
    remarks: str | None
    recorded_by: str
    recorded_at: datetime


@dataclass(slots=True)
class OperationTally:
    """What an operation came to: the figures a chief gives the press."""

    operation: str
    locations: int = 0
    searches: int = 0
    devices: int = 0
    firs: int = 0
    seizure_reports: int = 0
    arrests: int = 0
    searches_without_recording: int = 0
    open_referrals: int = 0
    by_station: list[dict[str, object]] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return self.firs + self.seizure_reports

    def summary(self) -> str:
        return (
            f"In operation {self.operation}, {_were(self.locations, 'location')} "
            f"searched, {_were(self.devices, 'device')} seized, "
            f"{_were(self.cases, 'case')} registered and "
            f"{_were(self.arrests, 'person', 'persons')} arrested."
        )


def _were(count: int, one: str, many: str | None = None) -> str:
    """ "1 case was", "339 cases were": the press sentence reads right at any size."""
    if count == 1:
        return f"1 {one} was"
    return f"{count} {many or one + 's'} were"
