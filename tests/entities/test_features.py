"""A record's roles reduced to comparable features; nothing refused."""

from __future__ import annotations

from kavach.entities.features import features, parse_dob, phone_key


def test_three_date_formats_give_one_date() -> None:
    for written in ("1990-05-16", "19900516", "16/05/1990", "16.05.1990"):
        assert parse_dob(written) == ("1990-05-16", 1990)


def test_a_date_that_does_not_parse_is_kept_as_text() -> None:
    assert parse_dob("sometime in 1990") == ("sometime in 1990", None)
    assert parse_dob("31/02/1990") == ("31/02/1990", None)
    assert parse_dob("") == (None, None)


def test_phones_are_normalised_and_junk_kept() -> None:
    assert phone_key("+91 98470 12345") == phone_key("09847012345") == "919847012345"
    assert phone_key("9847012345") == "919847012345"
    assert phone_key("ext. 12") == "12"


def test_age_becomes_a_birth_year_and_house_name_leaves_the_core() -> None:
    row = features(
        {
            "full_name": "Kizhakkethil Rajesh",
            "age": "34",
            "address": "Kizhakkethil House, Kakkanad",
            "phone": "9847012345; +91 9847099999",
        },
        reference_year=2026,
    )
    assert row.birth_year == 1992 and row.dob is None
    assert row.name_core == ["rajes"]
    assert row.phones == ["919847012345", "919847099999"]
