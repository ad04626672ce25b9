"""IP locations from a GeoIP2 or GeoLite2 City database; the district of each."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from kavach.cases.names import normalise
from kavach.cases.places import district_at_point
from kavach.cases.units import RevenueDistrict, UnitDirectory
from kavach.errors import ConfigError, InputError

SETTING = "KAVACH_GEOIP_DB"

# Kerala's extent with a little margin: a location outside it is not placed.
KERALA_BOX = (8.1, 12.9, 74.8, 77.5)  # south, north, west, east
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True, slots=True)
class GeoHit:
    """What the database says of one address (English names; any may be missing)."""

    city: str | None
    subdivision: str | None  # the state, for India: "Kerala"
    country_code: str | None  # ISO 3166-1 alpha-2
    latitude: float | None
    longitude: float | None
    accuracy_radius: int | None  # km, as the database estimates it


class GeoIpDatabase:
    """A City database opened once; ``lookup`` answers from it.

    Addresses are estimates for a network, never the subscriber's address: the
    provider's reply to a notice is what places a person.
    """

    def __init__(self, path: Path | str) -> None:
        import maxminddb  # lazy: only tip routing needs it

        self.path = Path(path)
        try:
            self._reader = maxminddb.open_database(str(self.path))
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
            raise ConfigError(
                f"{SETTING}: cannot open the GeoIP database {self.path} ({exc})"
            ) from exc

    def lookup(self, ip: str) -> GeoHit | None:
        """The database's record for ``ip``, or None when it holds none."""
        import maxminddb

        try:
            address = ipaddress.ip_address(ip.strip())
        except ValueError as exc:
            raise InputError(f"{ip!r} is not an IP address") from exc
        try:
            record = self._reader.get(address)
        except (OSError, maxminddb.InvalidDatabaseError) as exc:
            raise ConfigError(
                f"{SETTING}: the GeoIP database {self.path} is damaged ({exc})"
            ) from exc
        except ValueError:
            return None  # an IPv6 address asked of an IPv4-only database
        return _hit(record) if isinstance(record, dict) else None

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> GeoIpDatabase:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _english(record: Any) -> str | None:
    names = record.get("names") if isinstance(record, dict) else None
    name = names.get("en") if isinstance(names, dict) else None
    return name if isinstance(name, str) and name else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _hit(record: dict[str, Any]) -> GeoHit | None:
    subdivisions = record.get("subdivisions")
    first = subdivisions[0] if isinstance(subdivisions, list) and subdivisions else None
    country = record.get("country")
    code = country.get("iso_code") if isinstance(country, dict) else None
    location = record.get("location")
    location = location if isinstance(location, dict) else {}
    radius = location.get("accuracy_radius")
    return GeoHit(
        city=_english(record.get("city")),
        subdivision=_english(first),
        country_code=code if isinstance(code, str) else None,
        latitude=_number(location.get("latitude")),
        longitude=_number(location.get("longitude")),
        accuracy_radius=radius if isinstance(radius, int) else None,
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def place_geoip(units: UnitDirectory, hit: GeoHit | None) -> RevenueDistrict | None:
    """The revenue district a GeoIP hit points to in Kerala, or None.

    The city name decides first (a headquarters town, listed locality or other
    spelling in the unit file); else a location inside Kerala's bounding box goes
    to the district of the nearest post office (``places.district_at_point``). A
    hit outside India, or in another Indian state, is never placed (Kochi is also a
    city in Japan).
    """
    if hit is None or hit.country_code != "IN":
        return None
    if hit.subdivision is not None and normalise(hit.subdivision) != "kerala":
        return None
    if hit.city:
        district = units.district_for_town(hit.city)
        if district is not None:
            return district
    if hit.latitude is None or hit.longitude is None:
        return None
    south, north, west, east = KERALA_BOX
    if not (south <= hit.latitude <= north and west <= hit.longitude <= east):
        return None
    found = district_at_point(units, hit.latitude, hit.longitude)
    return found[0] if found else None
