"""Converting tip rows read back from the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kavach.tips.ports import WindowRow


def aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is converted to UTC.
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def window(r: Any) -> WindowRow:
    start, end = aware(r.start), aware(r.end)
    assert start is not None and end is not None
    return WindowRow(
        r.id,
        r.address,
        r.port_low,
        r.port_high,
        start,
        end,
        r.subscriber,
        r.postal_address,
        r.pincode,
        r.phone,
        r.row,
    )
