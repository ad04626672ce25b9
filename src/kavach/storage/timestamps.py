"""Times as the database gives them back: SQLite drops the zone, and everything
Kavach writes is UTC, so a naive value read back is UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, overload

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


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


class UtcDateTime(TypeDecorator[datetime]):
    """A zone-aware column that stores UTC on every database.

    SQLite keeps a datetime's wall-clock digits and drops its zone, so an IST time
    written as it came back 5 h 30 min off. Converting on the way in makes a stored
    time the same instant on SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        return None if value is None else aware(value)
