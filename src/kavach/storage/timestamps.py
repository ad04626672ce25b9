"""Times as the database gives them back: SQLite drops the zone, and everything
Kavach writes is UTC, so a naive value read back is UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def utc(value: datetime | None) -> datetime | None:
    """A time as stored: converted to UTC."""
    return None if value is None else value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)
