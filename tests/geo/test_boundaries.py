"""GPS points placed in the shipped boundaries: Kerala districts, Indian states,
countries; and the shipped files themselves (valid, complete, small)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from importlib import resources
from typing import Any

import pytest
import shapely  # type: ignore[import-untyped]

from kavach.cases.units import load_units
from kavach.geo.boundaries import (
    COUNTRIES_FILE,
    DISTRICTS_FILE,
    STATES_FILE,
    Boundaries,
    CoordinateError,
    GeoPlace,
    PlaceKind,
)

FOLDER = resources.files("kavach.geo") / "data"
KAVACH_DISTRICTS = {
    "THIRUVANANTHAPURAM", "KOLLAM", "PATHANAMTHITTA", "ALAPPUZHA", "KOTTAYAM",
    "IDUKKI", "ERNAKULAM", "THRISSUR", "PALAKKAD", "MALAPPURAM", "KOZHIKODE",
    "WAYANAD", "KANNUR", "KASARAGOD",
}  # fmt: skip
# Each district's headquarters town (and a few other well-known towns).
DISTRICT_POINTS = [
    ("Thiruvananthapuram", 8.5241, 76.9366, "THIRUVANANTHAPURAM"),
    ("Kollam", 8.8932, 76.6141, "KOLLAM"),
    ("Pathanamthitta", 9.2648, 76.7870, "PATHANAMTHITTA"),
    ("Alappuzha", 9.4981, 76.3388, "ALAPPUZHA"),
    ("Kottayam", 9.5916, 76.5222, "KOTTAYAM"),
    ("Painavu", 9.8497, 76.9394, "IDUKKI"),
    ("Munnar", 10.0889, 77.0595, "IDUKKI"),
    ("Kochi", 9.9816, 76.2999, "ERNAKULAM"),
    ("Thrissur", 10.5276, 76.2144, "THRISSUR"),
    ("Palakkad", 10.7867, 76.6548, "PALAKKAD"),
    ("Malappuram", 11.0510, 76.0711, "MALAPPURAM"),
    ("Kozhikode", 11.2588, 75.7804, "KOZHIKODE"),
    ("Kalpetta", 11.6085, 76.0830, "WAYANAD"),
    ("Kannur", 11.8745, 75.3704, "KANNUR"),
    ("Kasaragod", 12.4996, 74.9869, "KASARAGOD"),
]
STATE_POINTS = [
    ("Chennai", 13.0827, 80.2707, "Tamil Nadu"),
    ("Bengaluru", 12.9716, 77.5946, "Karnataka"),
    ("Mumbai", 19.0760, 72.8777, "Maharashtra"),
    ("Delhi", 28.6139, 77.2090, "Delhi"),
    ("Hyderabad", 17.3850, 78.4867, "Telangana"),
    ("Leh", 34.1526, 77.5771, "Ladakh"),
    ("Coimbatore", 11.0168, 76.9558, "Tamil Nadu"),
    ("Mangaluru", 12.9141, 74.8560, "Karnataka"),
    # Islands the 1:50m state polygons miss: the nearest state on Indian soil.
    ("Kavaratti", 10.5669, 72.6420, "Lakshadweep"),
    ("Port Blair", 11.6234, 92.7265, "Andaman and Nicobar Islands"),
]
COUNTRY_POINTS = [
    ("Colombo", 6.9271, 79.8612, "Sri Lanka"),
    ("Dubai", 25.2048, 55.2708, "United Arab Emirates"),
    ("London", 51.5074, -0.1278, "United Kingdom"),
    ("Male", 4.1755, 73.5093, "Maldives"),
    ("Doha", 25.2854, 51.5310, "Qatar"),
    ("Kathmandu", 27.7172, 85.3240, "Nepal"),
]


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return Boundaries.packaged()


def _layer(name: str) -> list[dict[str, Any]]:
    """The features of one shipped file, each with its shapely geometry."""
    import gzip

    raw = (FOLDER / name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    features: list[dict[str, Any]] = json.loads(raw)["features"]
    for feature in features:
        feature["shape"] = shapely.from_geojson(json.dumps(feature["geometry"]))
    return features


@pytest.mark.parametrize(("town", "lat", "lon", "district"), DISTRICT_POINTS)
def test_a_town_lies_in_its_district(
    boundaries: Boundaries, town: str, lat: float, lon: float, district: str
) -> None:
    place = boundaries.place(lat, lon)
    assert place == GeoPlace(PlaceKind.DISTRICT, district, "Kerala", "India"), town
    assert place.label() == district


def test_every_headquarters_in_the_unit_directory_lies_in_its_district(
    boundaries: Boundaries,
) -> None:
    districts = load_units().all_revenue_districts()
    assert {d.name for d in districts} == KAVACH_DISTRICTS
    for district in districts:
        assert district.latitude is not None and district.longitude is not None
        place = boundaries.place(district.latitude, district.longitude)
        assert place is not None and place.name == district.name, district.headquarters


@pytest.mark.parametrize(("city", "lat", "lon", "state"), STATE_POINTS)
def test_elsewhere_in_india_the_state(
    boundaries: Boundaries, city: str, lat: float, lon: float, state: str
) -> None:
    place = boundaries.place(lat, lon)
    assert place == GeoPlace(PlaceKind.STATE, state, state, "India"), city
    assert place.label() == state


@pytest.mark.parametrize(("city", "lat", "lon", "country"), COUNTRY_POINTS)
def test_abroad_the_country(
    boundaries: Boundaries, city: str, lat: float, lon: float, country: str
) -> None:
    place = boundaries.place(lat, lon)
    assert place == GeoPlace(PlaceKind.COUNTRY, country, None, country), city
    assert place.label() == country


def test_at_sea_no_place(boundaries: Boundaries) -> None:
    assert boundaries.place(15.0, 65.0) is None  # the middle of the Arabian Sea
    assert boundaries.place(10.0, 76.15) is None  # 7 km off Kochi
    assert boundaries.place(0.0, -30.0) is None  # the Atlantic


def test_just_off_the_coast_snaps_to_the_shore(boundaries: Boundaries) -> None:
    off_kochi = boundaries.place(10.0, 76.21)  # about 800 m out to sea
    assert off_kochi is not None and off_kochi.name == "ERNAKULAM"


def test_mahe_is_puducherry_not_kannur(boundaries: Boundaries) -> None:
    mahe = boundaries.place(11.7357, 75.5406)
    assert mahe == GeoPlace(PlaceKind.STATE, "Puducherry", "Puducherry", "India")


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (math.nan, 76.0),
        (10.0, math.nan),
        (math.inf, 76.0),
        (90.5, 76.0),
        (-91.0, 76.0),
        (10.0, 180.5),
        (10.0, -181.0),
        ("north", 76.0),
    ],
)
def test_a_point_off_the_globe_is_refused(
    boundaries: Boundaries, lat: Any, lon: Any
) -> None:
    with pytest.raises(ValueError, match="latitude|longitude"):
        boundaries.place(lat, lon)
    with pytest.raises(CoordinateError):
        boundaries.place_many([(9.98, 76.3), (lat, lon)])


def test_the_poles_and_the_date_line_are_points_like_others(
    boundaries: Boundaries,
) -> None:
    assert boundaries.place(90.0, 0.0) is None
    south = boundaries.place(-90.0, 180.0)
    assert south is None or south.name == "Antarctica"


def test_place_many_answers_as_place_does(boundaries: Boundaries) -> None:
    points = [(lat, lon) for _, lat, lon, _ in DISTRICT_POINTS + COUNTRY_POINTS]
    points.append((15.0, 65.0))
    assert boundaries.place_many(points) == [boundaries.place(*p) for p in points]
    assert boundaries.place_many(iter(points[:2])) == boundaries.place_many(points[:2])
    assert boundaries.place_many([]) == []


def test_the_packaged_boundaries_load_once() -> None:
    assert Boundaries.packaged() is Boundaries.packaged()


def test_the_fourteen_districts_are_all_there_and_valid() -> None:
    features = _layer(DISTRICTS_FILE)
    districts = [f for f in features if f["properties"]["kind"] == "district"]
    assert {f["properties"]["name"] for f in districts} == KAVACH_DISTRICTS
    assert len(districts) == 14
    for feature in districts:
        assert feature["properties"]["state"] == "Kerala"
        assert shapely.is_valid(feature["shape"]), feature["properties"]["name"]
        assert feature["shape"].area > 0.05  # every district is over 600 km2


def test_neighbouring_districts_meet_without_overlapping() -> None:
    shapes = [f["shape"] for f in _layer(DISTRICTS_FILE)]
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    pairs = [(a, b) for a, b in zip(left, right, strict=True) if a < b]
    assert len(pairs) >= 13  # 14 districts in a row along the coast touch
    for a, b in pairs:
        overlap = shapes[a].intersection(shapes[b]).area
        assert overlap < 1e-6, (a, b, overlap)  # under 0.01 km2: a sliver at most


def test_the_kerala_state_holds_every_district() -> None:
    kerala = [f for f in _layer(STATES_FILE) if f["properties"]["name"] == "Kerala"]
    assert len(kerala) == 1
    outline = kerala[0]["shape"]
    for feature in _layer(DISTRICTS_FILE):
        if feature["properties"]["kind"] == "district":
            point = shapely.point_on_surface(feature["shape"])
            assert outline.contains(point), feature["properties"]["name"]


def test_the_states_and_union_territories_are_all_there_and_valid() -> None:
    features = _layer(STATES_FILE)
    names = {f["properties"]["name"] for f in features}
    assert len(features) == len(names) == 36
    assert {"Kerala", "Tamil Nadu", "Karnataka", "Delhi", "Ladakh"} <= names
    assert "Telangana" in names
    assert "Andaman and Nicobar Islands" in names
    assert "Dadra and Nagar Haveli and Daman and Diu" in names
    for feature in features:
        assert feature["properties"]["country"] == "India"
        assert shapely.is_valid(feature["shape"]), feature["properties"]["name"]


def test_the_countries_are_valid_and_named_in_short_english() -> None:
    features = _layer(COUNTRIES_FILE)
    names = {f["properties"]["name"] for f in features}
    assert len(features) > 240
    wanted = {"India", "Sri Lanka", "United Kingdom", "United Arab Emirates", "China"}
    assert wanted <= names
    assert all(shapely.is_valid(f["shape"]) for f in features)


def test_the_shipped_files_stay_small() -> None:
    names = (DISTRICTS_FILE, STATES_FILE, COUNTRIES_FILE)
    assert sum(len((FOLDER / name).read_bytes()) for name in names) < 1_600_000


def test_importing_the_module_loads_neither_shapely_nor_the_files() -> None:
    probe = (
        "import sys, kavach.geo.boundaries as b\n"
        "print('shapely' in sys.modules, 'numpy' in sys.modules,"
        " b._packaged.cache_info().currsize > 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False", "False"]


def test_the_kerala_district_names_are_the_shipped_ones() -> None:
    import json

    from kavach.geo.boundaries import DISTRICTS_FILE, KERALA_DISTRICTS

    features = json.loads((FOLDER / DISTRICTS_FILE).read_text())["features"]
    names = {f["properties"]["name"] for f in features}
    assert KERALA_DISTRICTS <= names and len(KERALA_DISTRICTS) == 14
