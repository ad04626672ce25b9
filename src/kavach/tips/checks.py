"""What every tip must be before it is stored, whatever format it came in: text
without control characters (a NUL cannot be stored in PostgreSQL; an escape
sequence would rewrite an analyst's terminal) and no value longer than its column."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kavach.tips.model import ParsedTip

# Tab, newline and carriage return are kept in free text (summaries, addresses).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")
# The columns' widths (storage/casework_tables.py).
LIMITS = {
    "report_id": 120,
    "source": 80,
    "esp": 200,
    "incident_type": 200,
    "group_identifier": 200,
    "city": 200,
    "region": 200,
    "country_code": 10,
    "first_name": 200,
    "last_name": 200,
    "display_name": 200,
    "identifier": 320,
    "service": 120,
    "event": 60,
    "classification": 10,
}
# Names and ids are one line; these may hold several.
FREE_TEXT = frozenset({"summary", "address", "annotation", "file name"})


def problem(tip: ParsedTip) -> str | None:
    """The first thing wrong with ``tip``, said with the field; None when sound."""
    for field, value in _fields(tip):
        limit = LIMITS.get(field)
        if limit is not None and len(value) > limit:
            return f"field {field}: {len(value)} characters (at most {limit})"
        if _CONTROL.search(value) or (
            field not in FREE_TEXT and _LINE_BREAKS.search(value)
        ):
            return f"field {field}: {value[:40]!r} holds control characters"
    return None


def _fields(tip: ParsedTip) -> Iterator[tuple[str, str]]:
    yield "report_id", tip.report_id
    yield "source", tip.source
    for field in ("esp", "incident_type", "group_identifier", "summary"):
        if (value := getattr(tip, field)) is not None:
            yield field, value
    if tip.location:
        for field in ("city", "region", "country_code"):
            if (value := getattr(tip.location, field)) is not None:
                yield field, value
    for person in tip.persons:
        for field in ("first_name", "last_name", "display_name"):
            if (value := getattr(person, field)) is not None:
                yield field, value
        for address in person.addresses:
            yield "address", address
        for identifier in person.identifiers:
            yield "identifier", identifier.value
            if identifier.service:
                yield "service", identifier.service
    for event in tip.ip_events:
        if event.event:
            yield "event", event.event
    for ref in tip.files:
        for value in (ref.name, ref.original_name):
            if value:
                yield "file name", value
        if ref.classification:
            yield "classification", ref.classification
        for annotation in ref.annotations:
            yield "annotation", annotation
    for annotation in tip.annotations:
        yield "annotation", annotation
