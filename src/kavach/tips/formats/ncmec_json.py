"""NCMEC's law-enforcement JSON export of CyberTipline reports.

A file holds one report object, a JSON array of them, or ``{"reports": [...]}``.
Field paths follow the export as investigators receive it (REFERENCE.md); the
sections under ``reportedInformation`` are also accepted at the report's top level.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kavach.errors import FormatError
from kavach.tips.formats import values
from kavach.tips.formats.interface import (
    BadRecord,
    TipFormat,
    TipParseContext,
    text_head,
)
from kavach.tips.model import (
    FileRef,
    Identifier,
    IdentifierKind,
    IpEvent,
    Location,
    ParsedTip,
    ReportedPerson,
)

MAX_BYTES = 256 * 1024 * 1024
Json = dict[str, Any]
# "IP Address", "IPv4", "IPv6 address", "ip_address": an event, not an identifier.
_IP_CAPTURE = re.compile(r"ip(v[46])?([\s_]*address)?", re.IGNORECASE)


class NcmecJsonFormat(TipFormat):
    name = "ncmec-json"
    description = "NCMEC CyberTipline law-enforcement JSON (one report or many)"

    def sniff(self, head: bytes, path: Path) -> int:
        text = text_head(head).lstrip()
        if not text.startswith(("{", "[")) or '"reportId"' not in text:
            return 0
        return 90 if '"reportedInformation"' in text else 60

    def parse(self, path: Path, context: TipParseContext) -> Iterator[ParsedTip]:
        context.file = str(path)
        reports = _reports(path)
        if not reports:
            context.warn("file", "holds no reports")
        for index, report in enumerate(reports, start=1):
            where = f"report {index}"
            try:
                if not isinstance(report, dict):
                    raise BadRecord(where, "not a JSON object")
                yield _tip(report, index, context)
            except BadRecord as bad:
                context.reject(bad.where, bad.reason)


def _reports(path: Path) -> list[Any]:
    """The report objects of the file, read whole (exports are small; bounded)."""
    if path.stat().st_size > MAX_BYTES:
        raise FormatError(str(path), None, "larger than 256 MiB; not a tip export?")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FormatError(str(path), None, "not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise FormatError(str(path), where, f"broken JSON: {exc.msg}") from None
    except RecursionError:
        raise FormatError(str(path), None, "JSON nested too deep") from None
    if isinstance(data, dict) and "reports" in data:
        if not isinstance(data["reports"], list):
            raise FormatError(str(path), "reports", "must be a list of report objects")
        return list(data["reports"])
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return [data]
    raise FormatError(str(path), None, "neither a report object nor a list of them")


def _obj(value: object) -> Json:
    return value if isinstance(value, dict) else {}


def _items(value: object, key: str) -> list[Any]:
    """``value[key]`` as a list: the export nests lists as ``{"emails": [...]}``."""
    inner = _obj(value).get(key) if isinstance(value, dict) else value
    if isinstance(inner, list):
        return inner
    return [] if inner is None else [inner]


def _value(item: object) -> str | None:
    """An entry written as ``"x"`` or as ``{"value": "x", ...}``."""
    return values.text(_obj(item).get("value") if isinstance(item, dict) else item)


def _values(value: object, key: str) -> list[str]:
    return [text for item in _items(value, key) if (text := _value(item))]


def _tip(report: Json, index: int, context: TipParseContext) -> ParsedTip:
    raw_id = report.get("reportId")
    if raw_id is not None and not isinstance(raw_id, str | int):
        raise BadRecord(f"report {index}", f"reportId {raw_id!r}: text or a number")
    report_id = values.text(raw_id)
    if report_id is None:
        raise BadRecord(f"report {index}", "no reportId")
    where = f"report {report_id}"
    info = _obj(report.get("reportedInformation"))

    def section(key: str) -> Any:
        return info.get(key, report.get(key))

    summary = _obj(section("incidentSummary"))
    esp = values.text(_obj(section("reportingEsp")).get("espName"))
    notes = _values(section("additionalInformations"), "additionalInformations")
    tip = ParsedTip(
        source=context.source,
        report_id=report_id,
        where=f"{context.file}, {where}",
        received_at=values.time(report.get("dateReceived"), where, "dateReceived"),
        esp=esp,
        incident_type=values.text(summary.get("incidentType")),
        incident_at=values.time(
            summary.get("incidentDateTime"), where, "incidentSummary.incidentDateTime"
        ),
        summary="\n".join(notes) or None,
        high_priority=values.escalated(section("escalateToHighPriority")),
        annotations=values.true_names(section("reportAnnotations")),
        prior_reports=_prior(section("priorCTReports")),
        group_identifier=values.text(section("groupIdentifier")),
        location=_location(section("estimatedLocation")),
    )
    persons = _items(section("reportedPeople"), "reportedPersons")
    for number, person in enumerate(persons):
        _person(tip, _obj(person), number, esp, where, context)
    for number, item in enumerate(_items(section("uploadedFiles"), "uploadedFiles")):
        tip.files.append(_file(_obj(item), f"uploadedFiles[{number + 1}]", where))
    return tip


def _person(
    tip: ParsedTip,
    item: Json,
    number: int,
    esp: str | None,
    where: str,
    context: TipParseContext,
) -> None:
    """Add one reported person, their identifiers and their IP captures."""
    field = f"reportedPersons[{number + 1}]"
    person = ReportedPerson(
        first_name=values.text(item.get("firstName")),
        last_name=values.text(item.get("lastName")),
        date_of_birth=values.birth_date(
            item.get("dateOfBirth"), where, f"{field}.dateOfBirth"
        ),
        age=_age(item.get("approximateAge"), where, f"{field}.approximateAge", context),
        addresses=[
            a for a in map(_address, _items(item.get("addresses"), "addresses")) if a
        ],
        convicted_sex_offender=values.flag(item.get("convictedSexOffender")),
        access_to_children=values.flag(item.get("accessToChildren")),
    )
    service = values.text(item.get("espService")) or esp
    person.identifiers = _identifiers(item, field, service, where)
    captures = _items(_obj(item.get("sourceInformation")), "sourceCaptures")
    for capture_number, capture in enumerate(captures, start=1):
        name = f"{field}.sourceCaptures[{capture_number}]"
        _capture(tip, person, _obj(capture), number, name, where, context)
    if tip.location is None:
        tip.location = _location(item.get("estimatedLocation"))
    tip.persons.append(person)


def _identifiers(
    item: Json, field: str, service: str | None, where: str
) -> list[Identifier]:
    """E-mails, phones, and the screen name and user id on their service."""
    found: list[tuple[IdentifierKind, str, str, str | None]] = [
        (IdentifierKind.EMAIL, v, f"{field}.emails", None)
        for v in _values(item.get("emails"), "emails")
    ]
    found += [
        (IdentifierKind.PHONE, v, f"{field}.phones", None)
        for v in _values(item.get("phones"), "phones")
    ]
    if screen_name := _value(item.get("screenName")):
        found.append(
            (IdentifierKind.SCREEN_NAME, screen_name, f"{field}.screenName", service)
        )
    if user_id := values.text(item.get("espUserId")):
        found.append(
            (IdentifierKind.ESP_USER_ID, user_id, f"{field}.espUserId", service)
        )
    return [
        values.identifier(kind, text, where, name, on) for kind, text, name, on in found
    ]


def _capture(
    tip: ParsedTip,
    person: ReportedPerson,
    capture: Json,
    number: int,
    name: str,
    where: str,
    context: TipParseContext,
) -> None:
    """An IP capture becomes an event; a device capture an identifier."""
    kind = values.text(capture.get("captureType")) or ""
    value = values.text(capture.get("value"))
    if value is None:
        return
    if _IP_CAPTURE.fullmatch(kind):
        tip.ip_events.append(
            IpEvent(
                address=values.ip(value, where, f"{name}.value"),
                at=values.time(capture.get("dateTime"), where, f"{name}.dateTime"),
                port=values.port(capture.get("port"), where, f"{name}.port"),
                event=values.text(capture.get("eventName")),
                person=number,
            )
        )
        return
    device = values.device(kind, value, where, f"{name}.value")
    if device is None:
        context.warn(where, f"field {name}: capture type {kind!r} left out")
    else:
        person.identifiers.append(device)


def _age(value: object, where: str, name: str, context: TipParseContext) -> int | None:
    """An approximate age; a range or a word ("20-25", "adult") is left out."""
    text = values.text(value)
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    context.warn(where, f"field {name}: age {text!r} is not a number; left out")
    return None


def _address(item: object) -> str | None:
    """An address as written, or its parts joined in the order the export gives."""
    if not isinstance(item, dict):
        return values.text(item)
    parts = [
        text
        for key, value in item.items()
        if key not in {"type", "verified", "addressType"}
        and (text := values.text(value))
    ]
    return ", ".join(parts) or None


def _prior(value: object) -> list[str]:
    """Earlier report ids, written as ids or as ``{"reportId": ...}`` objects."""
    found = []
    for item in _items(value, "priorCTReports"):
        entry = _obj(item)
        text = (
            values.text(entry.get("reportId", entry.get("value")))
            if entry
            else values.text(item)
        )
        if text:
            found.append(text)
    return found


def _location(value: object) -> Location | None:
    place = _obj(value)
    location = Location(
        city=values.text(place.get("city")),
        region=values.text(place.get("region")),
        country_code=values.text(place.get("countryCode")),
    )
    return location if location != Location() else None


def _file(item: Json, name: str, where: str) -> FileRef:
    digest = values.text(item.get("verificationHash"))
    hash_value, hash_type = (
        values.file_hash(digest, where, f"{name}.verificationHash")
        if digest
        else (None, None)
    )
    return FileRef(
        name=values.text(item.get("filename")),
        original_name=values.text(item.get("originalFilename")),
        hash_value=hash_value,
        hash_type=hash_type,
        viewed_by_esp=values.flag(item.get("viewedByEsp")),
        classification=values.text(item.get("industryClassification")),
        annotations=tuple(values.true_names(item.get("fileAnnotations"))),
    )
