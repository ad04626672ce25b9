"""GeoIP lookups from a small City database written here, and placing the hits."""

from __future__ import annotations

from pathlib import Path

import pytest

from kavach.cases.units import UnitDirectory, load_units
from kavach.errors import ConfigError, InputError
from kavach.tips.geoip import GeoHit, GeoIpDatabase, distance_km, place_geoip
from tests.helpers.casework import write_city_db

# Documentation ranges (RFC 5737), laid out as GeoIP2 City records are.
RECORDS = {
    "203.0.113.0/24": {
        "city": {"names": {"en": "Kochi"}},
        "subdivisions": [{"names": {"en": "Kerala"}}],
        "country": {"iso_code": "IN"},
        "location": {"latitude": 9.9667, "longitude": 76.2833, "accuracy_radius": 20},
    },
    "198.51.100.0/24": {  # no city: only a point some 9 km from Kozhikode
        "subdivisions": [{"names": {"en": "Kerala"}}],
        "country": {"iso_code": "IN"},
        "location": {"latitude": 11.30, "longitude": 75.85, "accuracy_radius": 50},
    },
    "192.0.2.0/24": {
        "city": {"names": {"en": "Bengaluru"}},
        "subdivisions": [{"names": {"en": "Karnataka"}}],
        "country": {"iso_code": "IN"},
        "location": {"latitude": 12.9719, "longitude": 77.5937, "accuracy_radius": 10},
    },
}


@pytest.fixture(scope="module")
def units() -> UnitDirectory:
    return load_units()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    # An IPv6 tree holding IPv4, as GeoLite2 City is. accuracy_radius is small, so
    # mmdb-writer's "auto" integers give uint16, the type MaxMind uses for it.
    return write_city_db(tmp_path / "city.mmdb", RECORDS)


def test_lookups(database: Path) -> None:
    with GeoIpDatabase(database) as geo:
        kochi = geo.lookup("203.0.113.9")
        assert kochi == GeoHit("Kochi", "Kerala", "IN", 9.9667, 76.2833, 20)
        point = geo.lookup(" 198.51.100.200 ")
        assert point is not None and point.city is None
        assert point.subdivision == "Kerala" and point.accuracy_radius == 50
        bengaluru = geo.lookup("192.0.2.1")
        assert bengaluru is not None and bengaluru.subdivision == "Karnataka"
        assert geo.lookup("8.8.8.8") is None
        assert geo.lookup("2001:db8::1") is None
        with pytest.raises(InputError):
            geo.lookup("not-an-ip")


def test_hits_placed_in_districts(database: Path, units: UnitDirectory) -> None:
    with GeoIpDatabase(database) as geo:
        by_city = place_geoip(units, geo.lookup("203.0.113.9"))
        by_point = place_geoip(units, geo.lookup("198.51.100.1"))
        assert place_geoip(units, geo.lookup("192.0.2.1")) is None
        assert place_geoip(units, geo.lookup("8.8.8.8")) is None
    assert by_city is not None and by_city.name == "ERNAKULAM"
    assert by_point is not None and by_point.name == "KOZHIKODE"


def test_hits_that_are_not_placed(units: UnitDirectory) -> None:
    japan = GeoHit("Kochi", "Kochi", "JP", 33.56, 133.53, 10)
    assert place_geoip(units, japan) is None
    # Inside Kerala's box, but the nearest post office is over the border.
    hills = GeoHit(None, "Kerala", "IN", 10.05, 77.35, 100)
    assert place_geoip(units, hills) is None
    # At sea: no post office within 25 km.
    sea = GeoHit(None, "Kerala", "IN", 9.5, 75.5, 100)
    assert place_geoip(units, sea) is None
    town = GeoHit("Thalassery", None, "IN", None, None, None)
    found = place_geoip(units, town)
    assert found is not None and found.name == "KANNUR"


def test_distance_km() -> None:
    # Thiruvananthapuram to Kasaragod: about 500 km as the crow flies.
    assert 480 < distance_km(8.5241, 76.9366, 12.4996, 74.9869) < 510
    assert distance_km(10.0, 76.0, 10.0, 76.0) == 0


def test_a_missing_or_unreadable_database_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.mmdb"
    with pytest.raises(ConfigError, match="KAVACH_GEOIP_DB.*nowhere.mmdb"):
        GeoIpDatabase(missing)
    garbage = tmp_path / "garbage.mmdb"
    garbage.write_bytes(b"this is not a MaxMind database" * 100)
    with pytest.raises(ConfigError, match="garbage.mmdb"):
        GeoIpDatabase(garbage)
