"""What the court papers are filled from: an exhibit, the device it was seized as,
the images read, and a case with its devices (plain rows, no database types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kavach.cases.records import CustodyEntry


@dataclass(frozen=True, slots=True)
class ExhibitRef:
    id: int
    label: str
    case_ref: str | None
    run_id: str | None  # the latest complete scan run; None when there is none


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """A seized device as the seizure recorded it."""

    id: int
    label: str
    device_type: str
    make: str | None
    model: str | None
    serial: str | None
    imei: str | None
    seal_number: str | None
    owner: str | None
    seized_at: datetime
    exhibit_id: int | None


@dataclass(frozen=True, slots=True)
class ImageRow:
    """A forensic image of the exhibit: the hashes its container states, and the
    hashes Kavach computed when it was registered."""

    path: str
    kind: str
    stored_md5: str | None
    stored_sha1: str | None
    md5: str
    sha1: str
    sha256: str
    media_size: int = 0


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: int
    number_text: str
    station: str
    sections: list[str]


class PaperQueries(Protocol):
    """Reads for the papers; each call its own read transaction."""

    def exhibit(self, ref: str) -> ExhibitRef:
        """The exhibit by label or id; ``NotFoundError`` when none, ``InputError``
        when a label names exhibits of several cases."""
        ...

    def device_of(self, exhibit_id: int) -> DeviceRow | None: ...

    def images(self, exhibit_id: int) -> list[ImageRow]: ...

    def case(self, case_id: int) -> CaseRow: ...

    def case_devices(self, case_id: int) -> list[DeviceRow]:
        """Devices seized for the case, or at the search the case came from."""
        ...

    def custody(self, device_id: int) -> list[CustodyEntry]:
        """Every custody step of the device, in time order."""
        ...

    def integrity(self, exhibit_id: int) -> str | None:
        """The integrity SHA-256 of the exhibit's latest complete scan."""
        ...
