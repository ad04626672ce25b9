"""The packaged Kerala unit file, address routing, PIN codes and bad unit files."""

from __future__ import annotations

from pathlib import Path

import indian_pincode
import pytest

from kavach.cases.places import (
    PlaceError,
    pincode_in,
    place_pincode,
    revenue_district_for_address,
)
from kavach.cases.units import UnitDirectory, load_units, loads_units
from kavach.errors import FormatError, InputError, NotFoundError


@pytest.fixture(scope="module")
def units() -> UnitDirectory:
    return load_units()


def test_the_revenue_districts_are_india_posts_kerala_list(
    units: UnitDirectory,
) -> None:
    names = sorted(d.name for d in units.all_revenue_districts())
    assert len(names) == 14
    assert names == indian_pincode.list_districts("Kerala")


def test_twenty_police_districts_each_with_its_own_cyber_station(
    units: UnitDirectory,
) -> None:
    police = units.all_police_districts()
    assert len(police) == 20
    assert len({p.code for p in police}) == 20
    assert len(set(units.all_cyber_stations())) == 20
    assert units.cyber_station("KOC-C") == "Cyber Police Station, Kochi City"
    assert all(p.stations and p.localities for p in police)


def test_every_revenue_district_has_exactly_one_default(units: UnitDirectory) -> None:
    for district in units.all_revenue_districts():
        defaults = [
            p for p in units.police_districts_of(district) if p.default_for_district
        ]
        assert len(defaults) == 1, district.name


@pytest.mark.parametrize(
    ("district", "address", "code"),
    [
        ("THIRUVANANTHAPURAM", "TC 12/345, Near Technopark, Kazhakkoottam", "TVM-C"),
        ("Thiruvananthapuram", "Amaravila, Neyyattinkara, Thiruvananthapuram", "TVM-R"),
        ("thiruvananthapuram", "Thiruvananthapuram", "TVM-C"),  # the HQ town
        ("THIRUVANANTHAPURAM", "Somewhere, Thiruvananthapuram District", "TVM-R"),
        ("THIRUVANANTHAPURAM", None, "TVM-R"),
        ("ERNAKULAM", "Bank Junction, ALUVA, Ernakulam 683101", "EKM-R"),
        ("ERNAKULAM", "Princess Street, Fort Kochi, Kochi", "KOC-C"),
        ("ERNAKULAM", "Kochi", "KOC-C"),
        ("ERNAKULAM", "Unlisted Village, Ernakulam Dist.", "EKM-R"),
        ("KANNUR", "Main Road, Thalassery", "KNR-C"),
        ("KANNUR", "Payyanur", "KNR-R"),
        ("WAYANAD", "Anywhere", "WYD"),
    ],
)
def test_localities_route_to_police_districts(
    units: UnitDirectory, district: str, address: str | None, code: str
) -> None:
    assert units.police_district_for(district, address).code == code


def test_an_unknown_revenue_district_is_not_found(units: UnitDirectory) -> None:
    with pytest.raises(NotFoundError):
        units.police_district_for("MYSURU", "Fort")


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Trivandrum", "THIRUVANANTHAPURAM"),
        ("tiruvananthapuram", "THIRUVANANTHAPURAM"),
        ("  Thiruvananthapuram ", "THIRUVANANTHAPURAM"),
        ("Quilon", "KOLLAM"),
        ("Alleppey", "ALAPPUZHA"),
        ("Cochin", "ERNAKULAM"),
        ("KOCHI", "ERNAKULAM"),
        ("Trichur", "THRISSUR"),
        ("Palghat", "PALAKKAD"),
        ("Calicut", "KOZHIKODE"),
        ("Cannanore", "KANNUR"),
        ("Kasargod", "KASARAGOD"),
        ("kasaragod", "KASARAGOD"),
    ],
)
def test_other_spellings(units: UnitDirectory, spelling: str, name: str) -> None:
    district = units.revenue_district(spelling)
    assert district is not None and district.name == name


def test_towns_and_police_districts_by_name(units: UnitDirectory) -> None:
    for town, name in [("Kalpetta", "WAYANAD"), ("Painavu", "IDUKKI"),
                       ("aluva", "ERNAKULAM"), ("Calicut", "KOZHIKODE"),
                       ("Tellicherry", "KANNUR")]:  # fmt: skip
        found = units.district_for_town(town)
        assert found is not None and found.name == name, town
    assert units.district_for_town("Mysuru") is None
    assert units.revenue_district("Aluva") is None  # a town, not a district
    by_name = units.police_district("kochi city")
    assert by_name is not None and by_name.code == "KOC-C"
    assert units.police_district("tvm-r") == units.police_district("TVM-R")


@pytest.mark.parametrize(
    ("pin", "district"),
    [
        ("695001", "THIRUVANANTHAPURAM"),
        ("682001", "ERNAKULAM"),
        ("673001", "KOZHIKODE"),
    ],
)
def test_kerala_pincodes(units: UnitDirectory, pin: str, district: str) -> None:
    assert place_pincode(pin).districts == (district,)
    found = revenue_district_for_address(units, f"House 7, Somewhere {pin}")
    assert found.district is not None and found.district.name == district
    assert found.how == "pincode"


def test_a_pincode_outside_kerala_gives_its_state(units: UnitDirectory) -> None:
    assert place_pincode("560 001").state == "KARNATAKA"
    found = revenue_district_for_address(units, "MG Road, Bengaluru 560001")
    assert found.district is None and "KARNATAKA" in found.how


@pytest.mark.parametrize("pin", ["095001", "69500", "6950011", "PIN", ""])
def test_malformed_pincodes_are_refused(pin: str) -> None:
    with pytest.raises(PlaceError, match="not a PIN code"):
        place_pincode(pin)
    assert issubclass(PlaceError, ValueError)


def test_pincodes_found_in_addresses() -> None:
    assert pincode_in("TC 25/1234, Statue, Thiruvananthapuram - 695 001") == "695001"
    assert pincode_in("Kochi 682001, ph +91 98470 12345") == "682001"
    assert pincode_in("Ph 9847012345, no pin") is None


def test_a_pincode_of_two_districts_takes_the_one_named(units: UnitDirectory) -> None:
    # 673572 is a Kozhikode and a Malappuram PIN in India Post's data.
    named = revenue_district_for_address(units, "Near the school, Malappuram 673572")
    assert named.district is not None and named.district.name == "MALAPPURAM"
    assert "names MALAPPURAM" in named.how
    first = revenue_district_for_address(units, "Near the school, 673572")
    assert first.district is not None and first.district.name == "KOZHIKODE"
    assert first.how.endswith("took the first")


def test_without_a_pincode_the_address_names_the_district(units: UnitDirectory) -> None:
    found = revenue_district_for_address(units, "Calicut University, Tenhipalam")
    assert found.district is not None and found.district.name == "MALAPPURAM"
    assert found.how == "address"
    assert revenue_district_for_address(units, "Nowhere").how == "none"
    with pytest.raises(PlaceError):
        revenue_district_for_address(units, "Kochi", pincode="12345")


def test_to_toml_round_trips(units: UnitDirectory) -> None:
    text = units.to_toml()
    again = loads_units(text, "again.toml")
    assert again == units
    assert again.to_toml() == text
    packaged = load_units()
    assert packaged.to_toml().startswith("# Kerala Police units")


def test_a_file_on_disk_loads_and_an_unreadable_one_is_refused(
    tmp_path: Path, units: UnitDirectory
) -> None:
    path = tmp_path / "units.toml"
    path.write_text(units.to_toml())
    assert load_units(path) == units
    with pytest.raises(InputError, match="cannot read"):
        load_units(tmp_path / "missing.toml")


def _broken(units: UnitDirectory, old: str, new: str) -> str:
    text = units.to_toml()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ('revenue_district = "ERNAKULAM"', 'revenue_district = "COCHIN"',
         'police_district "KOC-C".revenue_district', "unknown revenue district"),
        ('code = "TVM-R"', 'code = "TVM-C"', "police_district.code", "duplicate"),
        ("default_for_district = false", "default_for_district = true",
         'revenue_district "THIRUVANANTHAPURAM"', "found TVM-C, TVM-R"),
        ('code = "WYD"\nname = "Wayanad"\nrevenue_district = "WAYANAD"',
         'code = "WYD"\nname = "Wayanad"\nrevenue_district = "KANNUR"',
         'revenue_district "WAYANAD"', "no police district"),
        ('"Vithura"', '"Kazhakkoottam"',
         'police_district "TVM-R".localities', "also listed under TVM-C"),
        ('"Aluva", "Alwaye"', '"Aluva", "Calicut"',
         'police_district "EKM-R".localities', "already names KOZHIKODE"),
        ('"Aluva", "Alwaye"', '"Aluva", "Kalpetta"',
         'police_district "WYD".localities', "also listed under EKM-R"),
        ("default_for_district = false", "defualt_for_district = false",
         "police_district[1].defualt_for_district", "unknown key"),
        ("latitude = 8.5241", 'latitude = "north"',
         "revenue_district[1].latitude", "degrees"),
        ("version = 1", "version = 2", "version", "must be 1"),
        ('stations = [\n  "Fort"', 'stations = [\n  7', "stations", "list of"),
        ("[[police_district]]", "[[police_district]", None, "not TOML"),
    ],
)  # fmt: skip
def test_bad_unit_files_are_refused_naming_the_key(
    units: UnitDirectory, old: str, new: str, key: str | None, reason: str
) -> None:
    with pytest.raises(FormatError) as caught:
        loads_units(_broken(units, old, new), "bad.toml")
    error = caught.value
    assert error.source == "bad.toml"
    assert reason in error.reason
    if key is not None:
        assert error.where is not None and key in error.where


def test_an_unknown_top_level_key_is_named(units: UnitDirectory) -> None:
    with pytest.raises(FormatError) as caught:
        loads_units("colour = 'red'\n" + units.to_toml(), "bad.toml")
    assert caught.value.where == "colour"


def test_another_spelling_of_a_district_is_refused_with_its_name(
    units: UnitDirectory,
) -> None:
    text = _broken(
        units, 'revenue_district = "ERNAKULAM"', 'revenue_district = "Kochi"'
    )
    with pytest.raises(FormatError, match="write ERNAKULAM"):
        loads_units(text, "bad.toml")
