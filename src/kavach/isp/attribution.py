"""Joining tip IP events to ISP reply windows: address, time and, under CGNAT, port."""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kavach.casework_vocabulary import AttributionState
from kavach.isp.replies import ReplyWindow
from kavach.tips.model import IpEvent
from kavach.tips.times import in_ist

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# RFC 6598 shared address space: carrier-grade NAT inside an ISP, never one household.
SHARED_SPACE = ipaddress.ip_network("100.64.0.0/10")


@dataclass(frozen=True, slots=True)
class Attribution:
    """The answer for one event, with a reason an officer can read out."""

    state: AttributionState
    window: ReplyWindow | None
    reason: str
    candidates: tuple[ReplyWindow, ...] = ()  # the conflicting windows when AMBIGUOUS


def address_key(text: str) -> Address | None:
    """The address as compared: IPv6 by value, IPv4-mapped IPv6 as its IPv4."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


class _AddressWindows:
    """The windows of one address, sorted by start, with the longest one's length.

    Windows that cover a time start at most ``longest`` before it, so a lookup
    bisects to that span instead of reading every window of a busy CGNAT address.
    """

    def __init__(self, windows: list[ReplyWindow]) -> None:
        self.windows = sorted(windows, key=lambda w: w.start)
        self.starts = [w.start for w in self.windows]
        self.longest = max((w.end - w.start for w in self.windows), default=timedelta())

    def covering(self, at: datetime) -> list[ReplyWindow]:
        first = bisect_right(self.starts, at - self.longest - timedelta(microseconds=1))
        last = bisect_right(self.starts, at)
        return [w for w in self.windows[first:last] if w.covers(at)]


class ReplyIndex:
    """Reply windows indexed by address, to attribute many events quickly."""

    def __init__(self, windows: Iterable[ReplyWindow]) -> None:
        grouped: dict[Address, list[ReplyWindow]] = {}
        for window in windows:
            key = address_key(window.address)
            if key is not None:
                grouped.setdefault(key, []).append(window)
        self._by_address = {k: _AddressWindows(v) for k, v in grouped.items()}

    def covering(self, address: str, at: datetime) -> list[ReplyWindow]:
        """The windows for ``address`` that contain ``at`` (any port)."""
        key = address_key(address)
        found = self._by_address.get(key) if key is not None else None
        return found.covering(at) if found else []

    def attribute(self, event: IpEvent) -> Attribution:
        return _decide(event, self)


def attribute(event: IpEvent, windows: Sequence[ReplyWindow]) -> Attribution:
    """One event against some windows; for many events build a ``ReplyIndex``."""
    return ReplyIndex(windows).attribute(event)


def _decide(event: IpEvent, index: ReplyIndex) -> Attribution:
    key = address_key(event.address)
    if key is None:
        reason = f"{event.address!r} is not an IP address"
        return Attribution(AttributionState.NOT_ATTRIBUTABLE, None, reason)
    if event.at is None:
        reason = f"event on {key} has no time"
        return Attribution(AttributionState.NOT_ATTRIBUTABLE, None, reason)
    covering = index.covering(str(key), event.at)
    shared = key in SHARED_SPACE if isinstance(key, ipaddress.IPv4Address) else False
    if event.port is None and (shared or any(w.has_ports() for w in covering)):
        reason = f"CGNAT address without a source port ({key} at {_when(event.at)})"
        return Attribution(AttributionState.NOT_ATTRIBUTABLE, None, reason)
    if not covering:
        reason = f"no reply window for {key} at {_when(event.at)}"
        return Attribution(AttributionState.NO_REPLY, None, reason)
    port = event.port
    if port is not None:
        covering = [w for w in covering if w.covers_port(port)]
        if not covering:
            reason = f"no reply window for {key} port {port} at {_when(event.at)}"
            return Attribution(AttributionState.NO_REPLY, None, reason)
    return _one_subscriber(covering, f"{_target(str(key), port)} at {_when(event.at)}")


def _one_subscriber(covering: list[ReplyWindow], target: str) -> Attribution:
    by_person: dict[tuple[str, ...], ReplyWindow] = {}
    for window in covering:
        by_person.setdefault(_person(window), window)
    if len(by_person) == 1:
        window = covering[0]
        reason = f"{target}: {window.subscriber} ({window.where})"
        return Attribution(AttributionState.ATTRIBUTED, window, reason)
    names = "; ".join(f"{w.subscriber} ({w.where})" for w in by_person.values())
    return Attribution(
        AttributionState.AMBIGUOUS,
        None,
        f"{target} is claimed for different subscribers: {names}",
        tuple(by_person.values()),
    )


def _person(window: ReplyWindow) -> tuple[str, ...]:
    """Who a window names: two rows are one subscriber when name, phone and
    postal address agree, whatever their case and spacing."""
    parts = (window.subscriber, window.phone or "", window.address_text or "")
    return tuple(" ".join(p.split()).casefold() for p in parts)


def _target(address: str, port: int | None) -> str:
    if port is None:
        return address
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _when(at: datetime) -> str:
    return in_ist(at).strftime("%Y-%m-%d %H:%M:%S IST")
