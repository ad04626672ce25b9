"""The watchlist's rules: what a record touches, and which watches it wakes.

Everything is compared as an identifier key (``Identifier.key()``: kind, service,
value, normalised as tips normalise them), so a number written ``098470 12345`` in
an ISP reply wakes a watch on ``+919847012345``. A group is ``group|app|id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kavach.tips.model import IdentifierKind


@dataclass(frozen=True)
class Touch:
    """A new record's identifier or group: where it was seen, and its key."""

    source: str  # tip, isp, search, device, scan, phone
    reference: str  # "tip NCMEC 1234", "ISP reply 3 window 7"
    key: str
    station: str | None = None  # the station the record belongs to, if any


@dataclass(frozen=True)
class Wake:
    watch_id: int
    touch: Touch


def identifier_key(kind: str, value: str, service: str | None = None) -> str | None:
    """The key a value would have in a tip; None when it is not one."""
    from kavach.tips.identifiers import IdentifierError, normalise

    try:
        found = normalise(IdentifierKind(kind), value, service)
    except (IdentifierError, ValueError):
        return None
    return found.key()


def phone_key(value: str | None) -> str | None:
    if not value:
        return None
    digits = (
        value if value.startswith("+") else f"+{value}" if value.isdigit() else value
    )
    return identifier_key("phone", digits)


def group_key(app: str, identifier: str) -> str:
    return f"group|{app}|{identifier}"


def wakes(touches: Iterable[Touch], watched: Mapping[str, list[int]]) -> list[Wake]:
    """Each (watch, touch) once: a watch woken twice by one record is one alert."""
    found: dict[tuple[int, str, str], Wake] = {}
    for touch in touches:
        for watch_id in watched.get(touch.key, ()):
            found.setdefault(
                (watch_id, touch.source, touch.reference), Wake(watch_id, touch)
            )
    return list(found.values())


def shown(key: str) -> str:
    """A key as an analyst reads it: ``+919847012345``, ``raju_k (examplechat)``."""
    kind, service, value = (key.split("|", 2) + ["", ""])[:3]
    if kind == "group":
        return f"{service} group {value}"
    return f"{value} ({service})" if service else value
