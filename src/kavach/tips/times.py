"""Times as tips and ISP replies write them: ISO 8601, zone kept, IST when unsaid."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

IST = timezone(timedelta(hours=5, minutes=30), "IST")
_SUFFIX_ZONES = {
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
    "IST": IST,
}
_SUFFIX = re.compile(r"\s+(UTC|GMT|IST)$", re.IGNORECASE)


class TimeError(ValueError):
    """A time that cannot be read."""


def parse_time(value: str | datetime | date) -> datetime:
    """A zone-aware time; a time written without a zone is Indian Standard Time.

    Accepts ISO 8601 with ``T`` or a space (``2020-12-01T10:30:00+05:30``,
    ``2020-12-01 10:30``, ``...Z``), a trailing ``UTC`` / ``GMT`` / ``IST`` word, a
    bare date (midnight IST), and the ``datetime`` a spreadsheet cell holds.
    """
    if isinstance(value, datetime):
        return _plausible(value if value.tzinfo else value.replace(tzinfo=IST), value)
    if isinstance(value, date):
        return _plausible(
            datetime(value.year, value.month, value.day, tzinfo=IST), value
        )
    text = value.strip()
    zone = None
    match = _SUFFIX.search(text)
    if match:
        zone = _SUFFIX_ZONES[match.group(1).upper()]
        text = text[: match.start()]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise TimeError(
            f"{value!r} is not a time "
            "(ISO 8601 expected, e.g. 2020-12-01T10:30:00+05:30)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone or IST)
    return _plausible(parsed, value)


# Times outside these years are typing mistakes, and near year 9999 a zone shift or
# the two-year retention clock would overflow Python's dates.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _plausible(moment: datetime, value: object) -> datetime:
    try:
        year = moment.astimezone(UTC).year
    except OverflowError:  # the zone pushes it past year 1 or 9999
        year = moment.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise TimeError(
            f"{value!r} is not a plausible time (years {FIRST_YEAR}-{LAST_YEAR})"
        )
    return moment


def parse_optional(value: str | datetime | date | None) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_time(value)


def in_ist(value: datetime) -> datetime:
    return value.astimezone(IST)
