"""CyberTipline reports in the provider XML element tree (REFERENCE.md).

A file holds one ``report`` or a root (``reports``, ...) whose children are reports.
The report id is read from a ``reportId`` attribute of ``report``, else from a
``reportId`` child element (providers submit without one; NCMEC's forwarded copies
carry it); both present and different, or neither, rejects the report. The whole
document is parsed before the first report is yielded, so a DTD or entity anywhere
refuses the file before anything is imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import parse as defused_parse

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
_WHY_REFUSED = (
    "{what} is not allowed in a tip file: entities can expand into gigabytes "
    "(billion laughs) or read local files; ask the sender for a plain export"
)


class CybertipXmlFormat(TipFormat):
    name = "cybertip-xml"
    description = "CyberTipline report XML (provider element tree; one or many)"

    def sniff(self, head: bytes, path: Path) -> int:
        text = text_head(head)
        if "<" not in text or "report" not in text:
            return 0
        if "incidentSummary" in text or "personOrUserReported" in text:
            return 90
        return 30 if "<report" in text or ":report" in text else 0

    def parse(self, path: Path, context: TipParseContext) -> Iterator[ParsedTip]:
        context.file = str(path)
        for index, report in enumerate(
            _reports(_document(path), str(path), context), start=1
        ):
            try:
                yield _tip(report, index, context)
            except BadRecord as bad:
                context.reject(bad.where, bad.reason)


def _document(path: Path) -> Element:
    """The whole tree, namespaces stripped; DTDs and entities refused."""
    source = str(path)
    if path.stat().st_size > MAX_BYTES:
        raise FormatError(source, None, "larger than 256 MiB; not a tip file?")
    try:
        root: Element = defused_parse(
            source, forbid_dtd=True, forbid_entities=True, forbid_external=True
        ).getroot()
    except ParseError as exc:
        line, column = exc.position
        where = f"line {line}, column {column}"
        raise FormatError(source, where, f"broken XML: {exc}") from None
    except DTDForbidden:
        raise FormatError(source, None, _WHY_REFUSED.format(what="A DTD")) from None
    except EntitiesForbidden:
        what = "An entity declaration"
        raise FormatError(source, None, _WHY_REFUSED.format(what=what)) from None
    except ExternalReferenceForbidden:
        what = "An external entity"
        raise FormatError(source, None, _WHY_REFUSED.format(what=what)) from None
    for element in root.iter():
        # Providers write with and without a namespace; Kavach reads local names.
        if isinstance(element.tag, str):
            element.tag = element.tag.rpartition("}")[2]
        element.attrib = {k.rpartition("}")[2]: v for k, v in element.attrib.items()}
    return root


def _reports(root: Element, source: str, context: TipParseContext) -> list[Element]:
    if root.tag == "report":
        return [root]
    found = [child for child in root if child.tag == "report"]
    if not found:
        raise FormatError(source, None, f"no <report> element under <{root.tag}>")
    others = sorted({child.tag for child in root if child.tag != "report"})
    if others:
        context.warn(f"<{root.tag}>", f"elements not read: {', '.join(others[:10])}")
    return found


def _text(element: Element | None, name: str) -> str | None:
    child = None if element is None else element.find(name)
    return None if child is None else values.text("".join(child.itertext()))


def _names(element: Element | None) -> list[str]:
    """Annotations: the child elements that are empty or say true."""
    if element is None:
        return []
    return [
        child.tag
        for child in element
        if (said := values.text(child.text)) is None or values.flag(said)
    ]


def _report_id(report: Element, index: int) -> str:
    attribute = values.text(report.get("reportId"))
    element = _text(report, "reportId")
    if attribute and element and attribute != element:
        raise BadRecord(
            f"report {index}",
            f"reportId attribute {attribute!r} and element {element!r} differ",
        )
    report_id = attribute or element
    if report_id is None:
        raise BadRecord(f"report {index}", "no reportId (attribute or element)")
    return report_id


def _tip(report: Element, index: int, context: TipParseContext) -> ParsedTip:
    report_id = _report_id(report, index)
    where = f"report {report_id}"
    summary = report.find("incidentSummary")
    escalate = report.find("escalateToHighPriority")
    reporter = report.find("reporter")
    tip = ParsedTip(
        source=context.source,
        report_id=report_id,
        where=f"{context.file}, {where}",
        esp=None if reporter is None else _text(reporter, ".//espName"),
        incident_type=_text(summary, "incidentType"),
        incident_at=values.time(
            _text(summary, "incidentDateTime"),
            where,
            "incidentSummary/incidentDateTime",
        ),
        summary=_text(report, "additionalInfo"),
        high_priority=escalate is not None
        and (values.text(escalate.text) is None or values.escalated(escalate.text)),
        annotations=_names(report.find("reportAnnotations")),
        prior_reports=_prior(report),
        group_identifier=_text(report, "groupIdentifier"),
        location=_location(report.find("estimatedLocation")),
    )
    details = report.find("internetDetails")
    for event in [] if details is None else details.iter("ipCaptureEvent"):
        _ip_event(tip, event, None, where, "internetDetails/ipCaptureEvent", context)
    for number, person in enumerate(report.findall("personOrUserReported")):
        _person(tip, person, number, where, context)
    for number, item in enumerate(report.findall("fileDetails"), start=1):
        _file(tip, item, f"fileDetails[{number}]", where, context)
    return tip


def _prior(element: Element) -> list[str]:
    """Earlier report ids, on the report or on a reported person."""
    found: list[str] = []
    for prior in element.iter("priorCTReports"):
        parts = [prior, *prior] if len(prior) else [prior]
        found += [text for part in parts if (text := values.text(part.text))]
    return found


def _location(element: Element | None) -> Location | None:
    if element is None:
        return None
    location = Location(
        city=_text(element, "city"),
        region=_text(element, "region"),
        country_code=_text(element, "countryCode"),
    )
    return location if location != Location() else None


def _person(
    tip: ParsedTip, element: Element, number: int, where: str, context: TipParseContext
) -> None:
    """One reported person or account: never the reporter, a recipient or a victim."""
    field = f"personOrUserReported[{number + 1}]"
    details = element.find("personOrUserReportedPerson")
    person = ReportedPerson(
        first_name=_text(details, "firstName"),
        last_name=_text(details, "lastName"),
        display_name=_text(element, "displayName"),
        date_of_birth=values.birth_date(
            _text(details, "dateOfBirth"), where, f"{field}/dateOfBirth"
        ),
        age=_age(_text(details, "age"), where, f"{field}/age", context),
    )
    service = _text(element, "espService") or tip.esp
    person.identifiers = _identifiers(element, person, field, service, where)
    for device in element.findall("deviceId"):
        _device(person, device, where, f"{field}/deviceId", context)
    for event in element.findall("ipCaptureEvent"):
        _ip_event(tip, event, number, where, f"{field}/ipCaptureEvent", context)
    tip.group_identifier = tip.group_identifier or _text(element, "groupIdentifier")
    tip.location = tip.location or _location(element.find("estimatedLocation"))
    tip.persons.append(person)


def _identifiers(
    element: Element,
    person: ReportedPerson,
    field: str,
    service: str | None,
    where: str,
) -> list[Identifier]:
    """Phones, e-mails (addresses kept on the person), screen name and ESP id."""
    details = element.find("personOrUserReportedPerson")
    found: list[tuple[IdentifierKind, str, str, str | None]] = []
    for part in [] if details is None else list(details):
        if part.tag == "address" and (address := _address(part)):
            person.addresses.append(address)
        elif part.tag == "phone" and (phone := _phone(part)):
            found.append((IdentifierKind.PHONE, phone, f"{field}/phone", None))
        elif part.tag == "email" and (email := values.text(part.text)):
            found.append((IdentifierKind.EMAIL, email, f"{field}/email", None))
    if screen_name := _text(element, "screenName"):
        found.append(
            (IdentifierKind.SCREEN_NAME, screen_name, f"{field}/screenName", service)
        )
    if user_id := _text(element, "espIdentifier"):
        found.append(
            (IdentifierKind.ESP_USER_ID, user_id, f"{field}/espIdentifier", service)
        )
    return [
        values.identifier(kind, text, where, name, on) for kind, text, name, on in found
    ]


def _phone(element: Element) -> str | None:
    """The number, with the ``countryCode`` attribute put in front when it is not."""
    number = values.text(element.text)
    code = (element.get("countryCode") or "").strip().lstrip("+")
    if number and code.isdigit() and not number.startswith(("+", code, "00")):
        return f"+{code} {number}"
    return number


def _address(element: Element) -> str | None:
    """An address as text, or its parts (street, city, state, ...) joined in order."""
    if not len(element):
        return values.text(element.text)
    parts = [text for part in element.iter() if (text := values.text(part.text))]
    return ", ".join(parts) or None


def _age(
    text: str | None, where: str, name: str, context: TipParseContext
) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    context.warn(where, f"field {name}: age {text!r} is not a number; left out")
    return None


def _device(
    person: ReportedPerson,
    element: Element,
    where: str,
    name: str,
    context: TipParseContext,
) -> None:
    kind = _text(element, "idType") or "device id"
    value = _text(element, "idValue")
    if value is None:
        return
    device = values.device(kind, value, where, f"{name}/idValue")
    if device is None:
        context.warn(where, f"field {name}: device id type {kind!r} left out")
    else:
        person.identifiers.append(device)


def _ip_event(
    tip: ParsedTip,
    element: Element,
    person: int | None,
    where: str,
    name: str,
    context: TipParseContext,
) -> None:
    address = _text(element, "ipAddress")
    if address is None:
        context.warn(where, f"field {name}: no ipAddress; left out")
        return
    tip.ip_events.append(
        IpEvent(
            address=values.ip(address, where, f"{name}/ipAddress"),
            at=values.time(_text(element, "dateTime"), where, f"{name}/dateTime"),
            port=values.port(_text(element, "port"), where, f"{name}/port"),
            event=_text(element, "eventName"),
            person=person,
        )
    )


def _file(
    tip: ParsedTip, element: Element, name: str, where: str, context: TipParseContext
) -> None:
    """A reported file; its upload IP capture is an event of the report."""
    hash_element = element.find("originalFileHash")
    digest = None if hash_element is None else values.text(hash_element.text)
    hash_value = hash_type = None
    declared = None if hash_element is None else hash_element.get("hashType")
    if digest and not values.known_hash_type(declared):
        # A PhotoDNA or other hash Kavach cannot match: the file is kept without it.
        context.warn(where, f"field {name}/originalFileHash: {declared} hash left out")
    elif hash_element is not None and digest:
        hash_value, hash_type = values.file_hash(
            digest, where, f"{name}/originalFileHash", declared
        )
    tip.files.append(
        FileRef(
            name=_text(element, "fileName"),
            original_name=_text(element, "originalFileName"),
            hash_value=hash_value,
            hash_type=hash_type,
            viewed_by_esp=values.flag(_text(element, "fileViewedByEsp")),
            classification=_text(element, "industryClassification"),
            annotations=tuple(_names(element.find("fileAnnotations"))),
        )
    )
    for event in element.findall("ipCaptureEvent"):
        _ip_event(tip, event, None, where, f"{name}/ipCaptureEvent", context)
