"""ISP replies read from CSV and XLSX, in Kavach's layout and DoT's IPDR layout."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from kavach.errors import FormatError, InputError
from kavach.isp.replies import (
    load_reply_columns,
    read_replies,
    shipped_layout,
)
from tests.isp.helpers import HEADER, ist, write_csv, write_xlsx

ROWS: list[Sequence[object]] = [
    HEADER,
    [
        "203.0.113.10",
        "",
        "2024-03-01T08:00:00",
        "2024-03-01 20:00:00+05:30",
        "Anil Kumar P",
        "TC 12/450, Pattom, Thiruvananthapuram",
        "695004",
        "9847012345",
    ],
    [
        "100.64.3.7",
        "40000-40999",
        "2024-03-01T08:00:00Z",
        "2024-03-01T10:00:00Z",
        "Sreeja Menon",
        "Kadavanthra, Kochi",
        "682 020",
        "",
    ],
]

IPDR_HEADER = [
    "Name of Subscriber",
    "Address",
    "Contact No",
    "Alternate Contact No",
    "Email",
    "User ID",
    "IP Assigned",
    "Static/Dynamic",
    "Source Port",
    "Start Date",
    "Start Time (IST)",
    "End Date",
    "End Time (IST)",
    "Source MAC/Device ID",
]


def _ipdr_row(**changes: object) -> list[object]:
    row: dict[str, object] = {
        "Name of Subscriber": "Biju Varghese",
        "Address": "Kottayam Road, Thiruvalla, PIN 689 101",
        "Contact No": "9447011111",
        "Alternate Contact No": "9447022222",
        "Email": "biju@example.in",
        "User ID": "tvla-00417",
        "IP Assigned": "2001:DB8:0:0::1",
        "Static/Dynamic": "Dynamic",
        "Source Port": "1024 - 2047",
        "Start Date": "05-03-2024",
        "Start Time (IST)": "09:15:00",
        "End Date": "05/03/2024",
        "End Time (IST)": "11:45 PM",
        "Source MAC/Device ID": "AA:BB:CC:00:11:22",
    }
    row.update(changes)
    return [row[h] for h in IPDR_HEADER]


def test_csv_reply_in_kavach_layout(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "reply.csv", ROWS)
    first, cgnat = read_replies(path, isp="Kayal Net")
    assert first.address == "203.0.113.10"
    assert (first.port_low, first.port_high) == (None, None)
    assert first.start == ist("2024-03-01T08:00:00")
    assert first.end == ist("2024-03-01T20:00:00")
    assert first.subscriber == "Anil Kumar P"
    assert first.address_text == "TC 12/450, Pattom, Thiruvananthapuram"
    assert (first.pincode, first.phone, first.isp) == (
        "695004",
        "9847012345",
        "Kayal Net",
    )
    assert first.where == f"{path}, row 2"
    assert (cgnat.port_low, cgnat.port_high) == (40000, 40999)
    assert cgnat.start == datetime(2024, 3, 1, 13, 30, tzinfo=ist("2024-03-01").tzinfo)
    assert cgnat.pincode == "682020"
    assert cgnat.phone is None


def test_headers_match_whatever_their_case_and_spacing(tmp_path: Path) -> None:
    header = [
        "  IP ",
        "Port",
        "START",
        "End",
        "Subscriber ",
        "address",
        "PinCode",
        "Phone",
    ]
    path = write_csv(tmp_path / "reply.csv", [header, ROWS[1]])
    assert read_replies(path)[0].subscriber == "Anil Kumar P"


def test_xlsx_reply_with_datetime_cells(tmp_path: Path) -> None:
    rows: list[Sequence[object]] = [
        [*HEADER, "Circuit ID"],
        [
            "198.51.100.23",
            40123,
            datetime(2024, 3, 1, 8, 0),  # a naive cell is IST
            datetime(2024, 3, 1, 9, 0),
            "Fathima Beevi",
            "Beach Road, Kozhikode",
            673032,
            9846033333,
            "CKT-77",
        ],
        [None] * 9,  # formatted but empty rows end many sheets
    ]
    path = write_xlsx(tmp_path / "reply.xlsx", rows)
    (only,) = read_replies(path)
    assert only.address == "198.51.100.23"
    assert (only.port_low, only.port_high) == (40123, 40123)
    assert only.start == ist("2024-03-01T08:00:00")
    assert only.end - only.start == timedelta(hours=1)
    assert (only.pincode, only.phone) == ("673032", "9846033333")
    assert only.extra == {"Circuit ID": "CKT-77"}


def test_the_ipdr_layout_through_the_shipped_map(tmp_path: Path) -> None:
    columns = load_reply_columns(
        Path(__file__).parents[2] / "src/kavach/isp/data/dot-ipdr.toml"
    )
    assert columns == shipped_layout("dot-ipdr")
    path = write_csv(tmp_path / "ipdr.csv", [IPDR_HEADER, _ipdr_row()])
    (only,) = read_replies(path, columns, isp="Malanadu Broadband")
    assert only.address == "2001:db8::1"
    assert (only.port_low, only.port_high) == (1024, 2047)
    assert only.start == ist("2024-03-05T09:15:00")
    assert only.end == ist("2024-03-05T23:45:00")
    assert only.subscriber == "Biju Varghese"
    assert only.phone == "9447011111"
    assert only.pincode == "689101"  # read off the end of the address
    assert only.extra == {
        "alt_phone": "9447022222",
        "email": "biju@example.in",
        "user_id": "tvla-00417",
        "static_dynamic": "Dynamic",
        "mac": "AA:BB:CC:00:11:22",
    }


def test_the_ipdr_layout_from_xlsx_date_and_time_cells(tmp_path: Path) -> None:
    row = _ipdr_row(
        **{
            "Start Date": date(2024, 3, 5),
            "Start Time (IST)": time(9, 15),
            "End Date": datetime(2024, 3, 6),
            "End Time (IST)": datetime(1899, 12, 30, 0, 30),
            "Source Port": None,
        }
    )
    path = write_xlsx(tmp_path / "ipdr.xlsx", [IPDR_HEADER, row])
    (only,) = read_replies(path, shipped_layout("dot-ipdr"))
    assert only.start == ist("2024-03-05T09:15:00")
    assert only.end == ist("2024-03-06T00:30:00")
    assert only.port_low is None


def _refused(path: Path, columns: dict[str, str] | None = None) -> FormatError:
    with pytest.raises(FormatError) as caught:
        read_replies(path, columns)
    assert caught.value.source == str(path)
    return caught.value


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (2, "2024-03-01 25:00", "not a time"),
        (0, "203.0.113.300", "not an IP address"),
        (1, "40999-40000", "ends below its start"),
        (1, "65000-70000", "above 65535"),
        (1, "http", "not a port"),
        (3, "2024-03-01T07:59:59", "before it starts"),
        (4, " ", "empty"),
    ],
)
def test_a_bad_row_refuses_the_file_naming_row_and_field(
    tmp_path: Path, column: int, value: str, reason: str
) -> None:
    bad = list(ROWS[1])
    bad[column] = value
    path = write_csv(tmp_path / "reply.csv", [*ROWS, bad])
    error = _refused(path)
    assert error.where == f"row 4, field {HEADER[column]}"
    assert reason in error.reason
    assert str(path) in str(error)


def test_a_bad_ipdr_time_names_its_own_column(tmp_path: Path) -> None:
    bad = _ipdr_row(**{"Start Time (IST)": "9.15 hrs"})
    rows: list[Sequence[object]] = [IPDR_HEADER, _ipdr_row(), bad]
    path = write_xlsx(tmp_path / "ipdr.xlsx", rows)
    error = _refused(path, shipped_layout("dot-ipdr"))
    assert error.where == "row 3, field Start Time (IST)"


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    header = [h for h in IPDR_HEADER if h != "End Date"]
    path = write_csv(tmp_path / "ipdr.csv", [header])
    error = _refused(path, shipped_layout("dot-ipdr"))
    assert error.where == "row 1, field End Date"
    assert "column missing" in error.reason


def test_an_unknown_field_in_the_map_is_refused(tmp_path: Path) -> None:
    toml = tmp_path / "MAP.toml"
    toml.write_text(
        '[columns]\nip = "IP"\nsubscriber = "Name"\nstart = "From"\n'
        'end = "To"\nimsi = "IMSI"\n'
    )
    with pytest.raises(FormatError) as caught:
        load_reply_columns(toml)
    assert caught.value.source == str(toml)
    assert "imsi" in caught.value.reason
    path = write_csv(tmp_path / "reply.csv", ROWS)
    assert "imsi" in _refused(path, {**shipped_layout("dot-ipdr"), "imsi": "x"}).reason


def test_a_map_mixing_both_ways_of_writing_times_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "reply.csv", ROWS)
    mixed = {**shipped_layout("dot-ipdr"), "start": "start"}
    assert "not a mix" in _refused(path, mixed).reason


def test_a_missing_map_or_layout_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="MAP.toml"):
        load_reply_columns(tmp_path / "MAP.toml")
    with pytest.raises(InputError, match="dot-ipdr"):
        shipped_layout("airtel")


def test_files_that_are_not_replies(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert _refused(empty).where == "row 1"
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    assert ".xlsx or CSV" in _refused(old).reason
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04not really a zip")
    assert "XLSX" in _refused(broken).reason


def test_zone_offsets_in_the_file_are_kept(tmp_path: Path) -> None:
    row = list(ROWS[1])
    row[2], row[3] = "2024-03-01T02:30:00Z", "2024-03-01T03:30:00 UTC"
    (only,) = read_replies(write_csv(tmp_path / "reply.csv", [HEADER, row]))
    assert only.start.utcoffset() == timedelta(0)
    assert only.start == datetime(2024, 3, 1, 8, 0, tzinfo=ist("2024-03-01").tzinfo)
    assert only.end == datetime(2024, 3, 1, 3, 30, tzinfo=UTC)
