"""Placing a tip in a district: the ISP's subscriber first, then GeoIP, then the
provider's estimate; a tip none of them places waits in the HQ queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kavach.cases.places import revenue_district_for_address
from kavach.cases.units import PoliceDistrict, RevenueDistrict, UnitDirectory
from kavach.casework_vocabulary import LocatedBy
from kavach.tips.ports import TipPlaceFacts

# An address -> the revenue district GeoIP puts it in, and what GeoIP said.
GeoPlace = Callable[[str], tuple[RevenueDistrict | None, str] | None]


@dataclass(frozen=True, slots=True)
class Place:
    district: RevenueDistrict | None
    police: PoliceDistrict | None
    located_by: LocatedBy | None
    detail: str


def place_tip(
    units: UnitDirectory, facts: TipPlaceFacts, geo: GeoPlace | None
) -> Place:
    """Where ``facts``' tip belongs, and how that was decided (said in ``detail``)."""
    for window in facts.attributed:
        text = window.postal_address or ""
        district, how = revenue_district_for_address(units, text, window.pincode)
        if district is not None:
            police = units.police_district_for(district, text)
            return Place(
                district,
                police,
                LocatedBy.ISP,
                f"subscriber {window.subscriber} ({how}), {window.row}",
            )
    if geo is not None:
        for address in facts.addresses:
            found = geo(address)
            if found is None or found[0] is None:
                continue
            district, said = found[0], found[1]
            police = units.police_district_for(district, said)
            return Place(district, police, LocatedBy.GEOIP, f"GeoIP {address}: {said}")
    for name in (facts.est_city, facts.est_region):
        district = units.district_for_town(name) if name else None
        if district is not None:
            police = units.police_district_for(district, facts.est_city)
            return Place(
                district, police, LocatedBy.REPORT, f"report's estimate {name}"
            )
    return Place(None, None, None, "not placed: HQ queue")
