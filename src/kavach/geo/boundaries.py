"""Where a GPS point lies: its Kerala revenue district, else its Indian state, else
its country, from the boundaries shipped in ``data/boundaries/`` (see SOURCES.md).

Nothing heavy loads on import: shapely and the files load on the first lookup.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

INDIA = "India"
KERALA = "Kerala"
# The labels a point in Kerala gets: its revenue district, as India Post names it.
KERALA_DISTRICTS = frozenset(
    "THIRUVANANTHAPURAM KOLLAM PATHANAMTHITTA ALAPPUZHA KOTTAYAM IDUKKI ERNAKULAM "
    "THRISSUR PALAKKAD MALAPPURAM KOZHIKODE WAYANAD KANNUR KASARAGOD".split()
)
DISTRICTS_FILE = "kerala_districts.geojson"
STATES_FILE = "india_states.geojson"
COUNTRIES_FILE = "countries.geojson.gz"
# A point just off a coastline (a beach, a jetty, a boat at anchor) is placed on
# the nearest land within this reach: about 1 km, the countries' simplification.
SNAP_DEGREES = 0.01
# The 1:50m state polygons miss small islands and coves that the finer country
# outline of India holds; such a point goes to the nearest state within this reach.
STATE_REACH_DEGREES = 1.0


class PlaceKind(StrEnum):
    """How fine a place is: a Kerala district, an Indian state, or a country."""

    DISTRICT = "district"
    STATE = "state"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class GeoPlace:
    """The place a point lies in."""

    kind: PlaceKind
    name: str  # "ERNAKULAM" (Kavach's district names), "Tamil Nadu", "Sri Lanka"
    state: str | None  # "Kerala" for a district, the state for a state, else None
    country: str  # "India", ...

    def label(self) -> str:
        """What files.csv shows in its ``place`` column: the district in Kerala,
        the state elsewhere in India, else the country."""
        return self.name


class CoordinateError(ValueError):
    """A latitude or longitude that is not a number on the globe."""


def _checked(latitude: float, longitude: float) -> tuple[float, float]:
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        lat = lon = math.nan
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise CoordinateError(
            f"latitude {latitude!r}, longitude {longitude!r}: not a number"
        )
    if abs(lat) > 90:
        raise CoordinateError(f"latitude {latitude!r} is outside -90..90")
    if abs(lon) > 180:
        raise CoordinateError(f"longitude {longitude!r} is outside -180..180")
    return lat, lon


class _Layer:
    """One file's polygons in an STRtree, each with the place it stands for."""

    def __init__(self, places: list[GeoPlace], geometries: Any) -> None:
        import shapely  # type: ignore[import-untyped]

        self._places = places
        self._geometries = geometries
        shapely.prepare(geometries)  # point-in-polygon tests reuse their indexes
        self._tree = shapely.STRtree(geometries)

    @classmethod
    def read(cls, source: Traversable) -> _Layer:
        """A layer from a GeoJSON FeatureCollection (gzip-compressed when .gz)."""
        import shapely

        raw = source.read_bytes()
        if source.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        features = json.loads(raw)["features"]
        places = [_place_of(feature["properties"]) for feature in features]
        geometries = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
        return cls(places, geometries)

    def containing(self, points: Any) -> list[GeoPlace | None]:
        """For each point, the first place whose polygon holds it (its edge too)."""
        import shapely

        found: list[GeoPlace | None] = [None] * len(points)
        pairs = self._tree.query(points)  # bounding boxes first, then the polygons
        hits = shapely.intersects(self._geometries[pairs[1]], points[pairs[0]])
        for point, polygon in sorted(zip(pairs[0][hits], pairs[1][hits], strict=True)):
            if found[point] is None:
                found[point] = self._places[polygon]
        return found

    def nearest(self, point: Any, reach: float) -> GeoPlace | None:
        """The place nearest a point within ``reach`` degrees, or None."""
        index = self._tree.query_nearest(point, max_distance=reach, all_matches=False)
        return self._places[int(index[0])] if len(index) else None


def _place_of(properties: dict[str, Any]) -> GeoPlace:
    return GeoPlace(
        kind=PlaceKind(properties["kind"]),
        name=str(properties["name"]),
        state=properties.get("state"),
        country=str(properties["country"]),
    )


class Boundaries:
    """Kerala's districts, India's states and the world's countries, queried together.

    A point takes the finest place that holds it. Near a coast a point that no
    polygon holds snaps to land within about 1 km (``SNAP_DEGREES``); farther out
    at sea it has no place. Near a border the answer is as good as the lines:
    about 55 m for districts, Natural Earth's 1:50m (a few km) for states, about
    1 km for countries (see docs/places-boundaries.md).
    """

    def __init__(self, districts: _Layer, states: _Layer, countries: _Layer) -> None:
        self._districts = districts
        self._states = states
        self._countries = countries

    @classmethod
    def packaged(cls) -> Boundaries:
        """The boundaries shipped with Kavach, read once per process."""
        return _packaged()

    @classmethod
    def read(cls, folder: Traversable) -> Boundaries:
        """The three layer files in ``folder``."""
        return cls(
            _Layer.read(folder / DISTRICTS_FILE),
            _Layer.read(folder / STATES_FILE),
            _Layer.read(folder / COUNTRIES_FILE),
        )

    def place(self, lat: float, lon: float) -> GeoPlace | None:
        """The place of one point; None at sea. Raises CoordinateError (a
        ValueError) for a coordinate that is not a finite number in range."""
        return self.place_many([(lat, lon)])[0]

    def place_many(
        self, points: Iterable[tuple[float, float]]
    ) -> list[GeoPlace | None]:
        """The places of many (lat, lon) points, each layer queried once for all."""
        import numpy as np
        import shapely

        checked = [_checked(lat, lon) for lat, lon in points]
        if not checked:
            return []
        lonlat = np.array([(lon, lat) for lat, lon in checked], dtype=float)
        shapes = shapely.points(lonlat)
        layers = (self._districts, self._countries, self._states)
        found = [layer.containing(shapes) for layer in layers]
        return [
            self._resolve(shapes[i], found[0][i], found[1][i], found[2][i])
            for i in range(len(checked))
        ]

    def _resolve(
        self,
        point: Any,
        district: GeoPlace | None,
        country: GeoPlace | None,
        state: GeoPlace | None,
    ) -> GeoPlace | None:
        """The finest place, given the polygons that hold the point."""
        if district is not None:  # Kerala's districts (and Mahe) are the finest
            return district
        if country is None and state is None:  # at sea, or past a coarse coast
            district = self._districts.nearest(point, SNAP_DEGREES)
            if district is not None:
                return district
            country = self._countries.nearest(point, SNAP_DEGREES)
            if country is None:
                return None
        if country is not None and country.name != INDIA:
            return country  # the 1:10m country line beats the 1:50m state line
        if state is None:  # Indian soil that the coarser state polygons miss
            state = self._states.nearest(point, STATE_REACH_DEGREES)
        if state is not None and state.name == KERALA:  # a Kerala shore or cove
            return self._districts.nearest(point, SNAP_DEGREES) or state
        return state or country


@cache
def _packaged() -> Boundaries:
    return Boundaries.read(resources.files("kavach.geo") / "data")
