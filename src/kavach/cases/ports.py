"""What the casework services need from storage (implemented in ``kavach.storage``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kavach.cases.units import UnitDirectory


@dataclass(frozen=True, slots=True)
class UnitIds:
    """Row ids of police districts and stations, by police district name."""

    police_district: dict[str, int]
    cyber_station: dict[str, int]
    station: dict[tuple[str, str], int]  # (police district name, station) -> id


class UnitRepository(Protocol):
    def is_empty(self) -> bool: ...

    def save(self, units: UnitDirectory) -> None:
        """Add or update every district and station; nothing is removed."""
        ...

    def directory(self) -> UnitDirectory: ...

    def ids(self) -> UnitIds: ...
