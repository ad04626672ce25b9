"""Placing tips in districts and routing them to the cyber police station."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kavach.audit.ports import AuditLog
from kavach.cases.units import RevenueDistrict, UnitDirectory
from kavach.services.units import UnitService
from kavach.tips.placement import GeoPlace, place_tip
from kavach.tips.ports import Placement, TipRepository


class PlacementService:
    def __init__(
        self,
        tips: TipRepository,
        units: UnitService,
        geoip_db: Path | None,
        audit: AuditLog,
    ) -> None:
        self._tips = tips
        self._units = units
        self._geoip_db = geoip_db
        self._audit = audit

    def place(self, tip_ids: Sequence[int] | None, actor: str) -> dict[str, int]:
        """Place ``tip_ids`` (None: every tip) and route each to its police
        district's cyber station; returns how many were placed by each means."""
        self._units.ensure_loaded(actor)
        units = self._units.directory()
        ids = self._units.ids()
        geo = self._geo(units)
        placements: dict[int, Placement] = {}
        counts: dict[str, int] = {}
        for facts in self._tips.place_facts(tip_ids):
            place = place_tip(units, facts, geo)
            police = place.police
            placements[facts.tip_id] = Placement(
                place.district.name if place.district else None,
                ids.police_district.get(police.name) if police else None,
                ids.cyber_station.get(police.name) if police else None,
                place.located_by,
                place.detail,
            )
            how = place.located_by.value if place.located_by else "unplaced"
            counts[how] = counts.get(how, 0) + 1
        self._tips.set_placements(placements)
        if placements:
            self._audit.record(actor, "tips.route", f"{len(placements)} tips", counts)
        return counts

    def _geo(self, units: UnitDirectory) -> GeoPlace | None:
        if self._geoip_db is None:
            return None
        from kavach.tips.geoip import GeoIpDatabase, place_geoip

        database = GeoIpDatabase(self._geoip_db)

        def lookup(address: str) -> tuple[RevenueDistrict | None, str] | None:
            hit = database.lookup(address)
            if hit is None:
                return None
            said = ", ".join(
                p for p in (hit.city, hit.subdivision, hit.country_code) if p
            )
            return place_geoip(units, hit), said

        return lookup
