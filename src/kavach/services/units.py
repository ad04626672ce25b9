"""The unit directory: loaded from the packaged file at init, edited by the unit."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kavach.audit.ports import AuditLog
from kavach.cases.ports import UnitIds, UnitRepository
from kavach.cases.units import UnitDirectory, load_units
from kavach.errors import InputError, NotFoundError


class UnitService:
    def __init__(self, repository: UnitRepository, audit: AuditLog) -> None:
        self._repository = repository
        self._audit = audit

    def ensure_loaded(self, actor: str) -> bool:
        """Load the packaged unit file into an empty database; True when it did."""
        if not self._repository.is_empty():
            return False
        units = load_units(None)
        self._repository.save(units)
        self._audit.record(actor, "unit.load", "packaged unit file", _counts(units))
        return True

    def directory(self) -> UnitDirectory:
        return self._repository.directory()

    def ids(self) -> UnitIds:
        return self._repository.ids()

    def load(self, path: Path, actor: str) -> UnitDirectory:
        units = load_units(path)  # checked whole before anything is written
        self._repository.save(units)
        self._audit.record(actor, "unit.load", str(path.resolve()), _counts(units))
        return units

    def add_station(self, police_district: str, name: str, actor: str) -> None:
        self._edit(police_district, actor, "unit.add_station", station=name)

    def add_locality(self, police_district: str, locality: str, actor: str) -> None:
        self._edit(police_district, actor, "unit.add_locality", locality=locality)

    def _edit(
        self,
        code_or_name: str,
        actor: str,
        action: str,
        station: str | None = None,
        locality: str | None = None,
    ) -> None:
        units = self._repository.directory()
        unit = units.police_district(code_or_name)
        if unit is None:
            raise NotFoundError(f"no police district {code_or_name!r}")
        if station and station in unit.stations:
            raise InputError(f"{unit.name} already has a station {station!r}")
        changed = dataclasses.replace(
            unit,
            stations=unit.stations + ((station,) if station else ()),
            localities=unit.localities + ((locality,) if locality else ()),
        )
        police = [
            changed if p.code == unit.code else p for p in units.all_police_districts()
        ]
        self._repository.save(UnitDirectory(units.all_revenue_districts(), police))
        self._audit.record(
            actor, action, unit.name, {"station": station, "locality": locality}
        )


def _counts(units: UnitDirectory) -> dict[str, int]:
    return {
        "revenue_districts": len(units.all_revenue_districts()),
        "police_districts": len(units.all_police_districts()),
    }
