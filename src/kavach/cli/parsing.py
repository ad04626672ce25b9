"""Reading dates and times from command-line options, refusing bad ones by name."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kavach.errors import InputError


def moment(text: str | None, option: str = "--at") -> datetime:
    """A zone-aware time (no zone = IST); now when not given."""
    from kavach.tips.times import TimeError, parse_time

    if not text:
        return datetime.now(UTC)
    try:
        return parse_time(text)
    except TimeError as exc:
        raise InputError(f"{option}: {exc}") from None


def day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None


def optional_day(text: str | None, option: str) -> date | None:
    return day(text, option) if text else None
