"""Requests to ISPs for unattributed events: grouping, retention, CSVs and letters."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kavach.errors import ConfigError
from kavach.isp.attribution import ReplyIndex
from kavach.isp.requests import (
    IspRequest,
    asn_isp_lookup,
    build_requests,
    group_by_isp,
    write_requests,
)
from kavach.tips.model import IpEvent
from tests.isp.helpers import ist, window

TODAY = date(2025, 3, 1)


@pytest.fixture
def asn_db(tmp_path: Path) -> Path:
    """A GeoLite2-ASN-shaped database over documentation and CGNAT ranges."""
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet

    writer = MMDBWriter(
        ip_version=6, ipv4_compatible=True, database_type="GeoLite2-ASN"
    )
    for network, number, organisation in [
        ("203.0.113.0/24", 64500, "Malanadu Broadband"),
        ("198.51.100.0/24", 64501, "Kayal Net"),
        ("100.64.0.0/10", 64501, "Kayal Net"),
    ]:
        record = {
            "autonomous_system_number": number,
            "autonomous_system_organization": organisation,
        }
        writer.insert_network(IPSet([network]), record)
    path = tmp_path / "GeoLite2-ASN.mmdb"
    writer.to_db_file(str(path))
    return path


SIGHTINGS = [
    (
        "NCMEC-1001",
        IpEvent("203.0.113.10", datetime(2024, 3, 1, 5, 0, tzinfo=UTC), event="Login"),
    ),
    ("NCMEC-1002", IpEvent("203.0.113.10", ist("2024-03-01T10:30"), event="Upload")),
    (
        "NCMEC-1002",
        IpEvent("198.51.100.77", ist("2022-12-01T23:59:59"), 40123, "Upload"),
    ),
    ("NCMEC-1003", IpEvent("192.0.2.1", ist("2024-06-01T06:00"), 443, "Registration")),
    ("NCMEC-1003", IpEvent("203.0.113.11", None, event="Login")),
]


def test_the_asn_database_names_the_isps(asn_db: Path) -> None:
    isp_of = asn_isp_lookup(asn_db)
    assert isp_of("203.0.113.10") == "Malanadu Broadband"
    assert isp_of("100.100.1.1") == "Kayal Net"
    assert isp_of("192.0.2.1") is None
    assert isp_of("not an address") is None


def test_an_unreadable_asn_database_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing.mmdb"):
        asn_isp_lookup(tmp_path / "missing.mmdb")
    junk = tmp_path / "junk.mmdb"
    junk.write_bytes(b"not a database" * 10)
    with pytest.raises(ConfigError, match="junk.mmdb"):
        asn_isp_lookup(junk)


def test_requests_merge_reports_and_group_by_isp(asn_db: Path) -> None:
    requests = build_requests(SIGHTINGS, asn_isp_lookup(asn_db), TODAY)
    groups = group_by_isp(requests)
    assert list(groups) == ["Kayal Net", "Malanadu Broadband", "unknown"]
    (login,) = groups["Malanadu Broadband"]
    # 05:00Z and 10:30 IST are one moment: one request naming both reports.
    assert (login.date, login.time) == ("2024-03-01", "10:30:00")
    assert login.report_ids == ("NCMEC-1001", "NCMEC-1002")
    assert login.event == "Login; Upload"
    assert login.port is None
    assert groups["unknown"][0].ip == "192.0.2.1"
    assert all(r.ip != "203.0.113.11" for r in requests)  # no time: nothing to ask


def test_retention_is_two_years_from_today_by_default() -> None:
    def isp_of(_address: str) -> str:
        return "Kayal Net"

    (old,) = build_requests([SIGHTINGS[2]], isp_of, TODAY)
    assert old.past_retention  # 2022-12-01 is 821 days before 2025-03-01
    (kept,) = build_requests([SIGHTINGS[2]], isp_of, TODAY, retention_days=900)
    assert not kept.past_retention
    (edge,) = build_requests([SIGHTINGS[2]], isp_of, date(2024, 11, 30))
    assert not edge.past_retention  # exactly 730 days is still within


def test_events_already_attributed_are_not_asked_again() -> None:
    index = ReplyIndex(
        [
            window("203.0.113.10", "2024-03-01T08:00", "2024-03-01T20:00", "Anil"),
            window("198.51.100.77", "2022-12-01T00:00", "2022-12-02T00:00", "Sreeja",
                   ports=(40000, 40999)),
        ]
    )  # fmt: skip
    cgnat_no_port = ("NCMEC-1004", IpEvent("198.51.100.77", ist("2022-12-01T12:00")))
    requests = build_requests(
        [*SIGHTINGS, cgnat_no_port], lambda _a: None, TODAY, index=index
    )
    assert [r.ip for r in requests] == ["192.0.2.1"]


def _request(ip: str, isp: str, event: str = "Login", past: bool = False) -> IspRequest:
    return IspRequest(
        ip=ip,
        port=40123,
        at=ist("2024-03-01T10:30"),
        date="2024-03-01",
        time="10:30:00",
        event=event,
        report_ids=("NCMEC-1001",),
        isp=isp,
        past_retention=past,
    )


def test_letters_and_csvs_are_written_per_isp(tmp_path: Path, asn_db: Path) -> None:
    groups = group_by_isp(build_requests(SIGHTINGS, asn_isp_lookup(asn_db), TODAY))
    paths = write_requests(
        tmp_path / "out",
        groups,
        station="Cyber Police Station, Thiruvananthapuram City",
        unit="CCSE Unit, Kerala Police",
        today=TODAY,
    )
    names = sorted(p.name for p in paths)
    assert names == [
        "index.csv",
        "letter-kayal-net.html",
        "letter-malanadu-broadband.html",
        "letter-unknown.html",
        "requests-kayal-net.csv",
        "requests-malanadu-broadband.csv",
        "requests-unknown.csv",
    ]
    out = tmp_path / "out"
    with (out / "requests-kayal-net.csv").open(newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row == {
        "serial": "1",
        "ip": "198.51.100.77",
        "port": "40123",
        "date_ist": "2022-12-01",
        "time_ist": "23:59:59",
        "event": "Upload",
        "report_ids": "NCMEC-1002",
        "past_retention": "yes",
    }
    letter = (out / "letter-kayal-net.html").read_text()
    assert "The Nodal Officer<br>Kayal Net" in letter
    assert "Section 94 of the Bharatiya Nagarik Suraksha Sanhita, 2023" in letter
    assert "Section 79 of the Information Technology Act, 2000" in letter
    assert '<td class="ip">198.51.100.77</td>' in letter
    assert '<td class="num">40123</td>' in letter and "23:59:59" in letter
    assert "Past retention: older than 730 days" in letter
    assert "CCSE Unit, Kerala Police" in letter and "2025-03-01" in letter
    assert "<img" not in letter
    with (out / "index.csv").open(newline="") as handle:
        index = list(csv.DictReader(handle))
    assert [(r["isp"], r["requests"], r["past_retention"]) for r in index] == [
        ("Kayal Net", "1", "1"),
        ("Malanadu Broadband", "1", "0"),
        ("unknown", "1", "0"),
    ]


def test_letters_escape_what_they_are_given(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    groups = group_by_isp(
        [_request("203.0.113.10", hostile, event=f"=HYPERLINK {hostile}")]
    )
    paths = write_requests(
        tmp_path, groups, station=hostile, unit="CCSE Unit", today=TODAY
    )
    letter = next(p for p in paths if p.name.startswith("letter-")).read_text()
    assert "<script>" not in letter
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in letter
    requests_csv = next(p for p in paths if p.name.startswith("requests-")).read_text()
    assert "'=HYPERLINK" in requests_csv  # inert in a spreadsheet


def test_isps_whose_names_share_a_slug_get_separate_files(tmp_path: Path) -> None:
    groups = group_by_isp(
        [_request("203.0.113.1", "Kayal Net"), _request("203.0.113.2", "kayal-net")]
    )
    names = {p.name for p in write_requests(
        tmp_path, groups, station="S", unit="U", today=TODAY
    )}  # fmt: skip
    assert {"letter-kayal-net.html", "letter-kayal-net-2.html"} <= names
