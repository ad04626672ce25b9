"""Attributing tip IP events to reply windows: time zones, CGNAT ports, conflicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from kavach.casework_vocabulary import AttributionState
from kavach.isp.attribution import (
    ReplyIndex,
    attribute,
)
from kavach.isp.replies import read_replies
from kavach.tips.model import IpEvent
from tests.isp.helpers import HEADER, ist, window, write_csv

HOME = window("203.0.113.10", "2024-03-01T08:00", "2024-03-01T20:00", "Anil Kumar P")


def test_an_event_in_utc_matches_an_ist_window() -> None:
    # 05:00Z is 10:30 IST, inside 08:00-20:00 IST.
    event = IpEvent("203.0.113.10", datetime(2024, 3, 1, 5, 0, tzinfo=UTC), 51000)
    result = attribute(event, [HOME])
    assert result.state is AttributionState.ATTRIBUTED
    assert result.window == HOME
    assert "Anil Kumar P" in result.reason
    assert "2024-03-01 10:30:00 IST" in result.reason


def test_the_window_ends_before_its_end() -> None:
    end_utc = HOME.end.astimezone(UTC)
    last = IpEvent("203.0.113.10", end_utc - timedelta(seconds=1))
    at_end = IpEvent("203.0.113.10", end_utc)
    after = IpEvent("203.0.113.10", end_utc + timedelta(seconds=1))
    before = IpEvent("203.0.113.10", HOME.start - timedelta(seconds=1))
    assert attribute(last, [HOME]).state is AttributionState.ATTRIBUTED
    first = IpEvent("203.0.113.10", HOME.start)
    assert attribute(first, [HOME]).state is AttributionState.ATTRIBUTED
    for outside in (at_end, after, before):
        assert attribute(outside, [HOME]).state is AttributionState.NO_REPLY


def test_no_window_for_the_address_is_no_reply() -> None:
    event = IpEvent("198.51.100.9", ist("2024-03-01T10:00"))
    result = attribute(event, [HOME])
    assert result.state is AttributionState.NO_REPLY
    assert "198.51.100.9" in result.reason


def test_an_event_without_a_time_is_not_attributable() -> None:
    result = attribute(IpEvent("203.0.113.10", None), [HOME])
    assert result.state is AttributionState.NOT_ATTRIBUTABLE
    assert "no time" in result.reason


def _cgnat_reply(tmp_path: Path) -> Path:
    """One public address, two subscribers at the same moment: only ports differ."""
    common = ["2024-03-01T08:00:00", "2024-03-01T12:00:00"]
    return write_csv(
        tmp_path / "cgnat.csv",
        [
            HEADER,
            ["198.51.100.77", "1024-2047", *common, "Sreeja Menon", "Kochi", "", ""],
            ["198.51.100.77", "2048-3071", *common, "Rahul Nair", "Aluva", "", ""],
        ],
    )


def test_under_cgnat_only_the_port_decides(tmp_path: Path) -> None:
    index = ReplyIndex(read_replies(_cgnat_reply(tmp_path)))
    at = ist("2024-03-01T09:30:00")
    first = index.attribute(IpEvent("198.51.100.77", at, 2047))
    second = index.attribute(IpEvent("198.51.100.77", at, 2048))
    outside = index.attribute(IpEvent("198.51.100.77", at, 5000))
    assert first.window is not None and first.window.subscriber == "Sreeja Menon"
    assert second.window is not None and second.window.subscriber == "Rahul Nair"
    assert outside.state is AttributionState.NO_REPLY
    assert "port 5000" in outside.reason


def test_a_cgnat_address_without_a_port_is_never_guessed(tmp_path: Path) -> None:
    index = ReplyIndex(read_replies(_cgnat_reply(tmp_path)))
    result = index.attribute(IpEvent("198.51.100.77", ist("2024-03-01T09:30")))
    assert result.state is AttributionState.NOT_ATTRIBUTABLE
    assert "CGNAT address without a source port" in result.reason
    assert result.window is None


def test_shared_address_space_without_a_port_is_not_attributable() -> None:
    # 100.64.0.0/10 is carrier NAT space even before any reply says so.
    result = attribute(IpEvent("100.64.3.7", ist("2024-03-01T09:30")), [])
    assert result.state is AttributionState.NOT_ATTRIBUTABLE
    assert "CGNAT" in result.reason


def test_two_subscribers_for_one_event_is_ambiguous() -> None:
    other = window("203.0.113.10", "2024-03-01T10:00", "2024-03-01T11:00", "Joseph T")
    result = attribute(IpEvent("203.0.113.10", ist("2024-03-01T10:30")), [HOME, other])
    assert result.state is AttributionState.AMBIGUOUS
    assert "Anil Kumar P" in result.reason and "Joseph T" in result.reason
    assert set(result.candidates) == {HOME, other}


def test_one_subscriber_in_two_rows_is_not_ambiguous() -> None:
    again = window(
        "203.0.113.10", "2024-03-01T10:00", "2024-03-01T11:00", "ANIL  KUMAR P"
    )
    result = attribute(IpEvent("203.0.113.10", ist("2024-03-01T10:30")), [HOME, again])
    assert result.state is AttributionState.ATTRIBUTED


def test_ipv6_is_compared_as_an_address() -> None:
    v6 = window("2001:db8::1", "2024-03-01T08:00", "2024-03-01T09:00", "Lekha S")
    event = IpEvent("2001:DB8:0000:0:0:0:0:1", ist("2024-03-01T08:10"))
    assert attribute(event, [v6]).state is AttributionState.ATTRIBUTED
    mapped = IpEvent("::ffff:203.0.113.10", ist("2024-03-01T10:00"))
    assert attribute(mapped, [HOME]).state is AttributionState.ATTRIBUTED


def test_an_index_over_many_windows_finds_the_right_one() -> None:
    # A day of ten-minute windows on one address, and one long window beside them.
    start = ist("2024-03-01T00:00")
    windows = [
        window(
            "203.0.113.50",
            (start + timedelta(minutes=10 * i)).isoformat()[:16],
            (start + timedelta(minutes=10 * i + 10)).isoformat()[:16],
            f"Subscriber {i}",
        )
        for i in range(144)
    ]
    windows.append(
        window("203.0.113.51", "2024-02-01T00:00", "2024-04-01T00:00", "Long")
    )
    index = ReplyIndex(windows)
    for i in (0, 57, 143):
        at = start + timedelta(minutes=10 * i + 3)
        result = index.attribute(IpEvent("203.0.113.50", at))
        assert (
            result.window is not None and result.window.subscriber == f"Subscriber {i}"
        )
    long = index.attribute(IpEvent("203.0.113.51", ist("2024-03-20T00:00")))
    assert long.window is not None and long.window.subscriber == "Long"
