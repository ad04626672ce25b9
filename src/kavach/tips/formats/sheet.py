"""The sheet (CSV or XLSX) in which NCRB forwards CyberTipline reports to a state.

One row per report, the header on row 1. Headers match case-insensitively with
surrounding spaces ignored; ``context.columns`` (``--columns MAP.toml``) names the
headers of any other layout. A cell holding several values separates them with
``;``: ``ip``, ``ip_time`` and ``ip_port`` align by position, and so do
``file_names`` and ``file_hashes``. Messages name the row as a spreadsheet shows it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from itertools import zip_longest
from pathlib import Path

from kavach.errors import FormatError
from kavach.tips.formats import values
from kavach.tips.formats.interface import (
    SHEET_FIELDS,
    BadRecord,
    TipFormat,
    TipParseContext,
    text_head,
)
from kavach.tips.model import (
    FileRef,
    IdentifierKind,
    IpEvent,
    Location,
    ParsedTip,
    ReportedPerson,
)

SUFFIXES = (".csv", ".xlsx")
Row = list[object]


# A sheet a bureau forwards holds thousands of rows, not hundreds of megabytes.
MAX_BYTES = 256 * 2**20


class NcrbSheetFormat(TipFormat):
    name = "ncrb-sheet"
    description = "NCRB's forwarded CyberTipline sheet (CSV or XLSX, one row a report)"

    def sniff(self, head: bytes, path: Path) -> int:
        if path.suffix.lower() not in SUFFIXES:
            return 0
        try:
            header = _sniff_header(head, path)
        except (
            FormatError,
            OSError,
            ValueError,
            KeyError,
            zipfile.BadZipFile,
            SyntaxError,  # ElementTree's ParseError and lxml's XMLSyntaxError
        ):
            return 0
        names = {text.casefold() for cell in header if (text := values.text(cell))}
        if "report_id" in names:
            return 90
        # Another layout: only a --columns map can read it, but it is still a sheet.
        return 40 if names else 0

    def parse(self, path: Path, context: TipParseContext) -> Iterator[ParsedTip]:
        context.file = str(path)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FormatError(
                str(path),
                None,
                f"{size:,} bytes: larger than a forwarded sheet can "
                f"be ({MAX_BYTES // 2**20} MiB); split it",
            )
        rows = _rows(path, context)
        first = next(rows, None)
        if first is None:
            raise FormatError(str(path), None, "empty sheet: no header row")
        columns = _columns(first[1], context)
        width = len(first[1])
        for number, cells in rows:
            if not any(values.text(cell) for cell in cells) and not any(
                isinstance(cell, date) for cell in cells
            ):
                continue
            if any(values.text(cell) for cell in cells[width:]):
                context.warn(f"row {number}", "cells past the last header are not read")
            try:
                yield _tip(_Row(cells, number, columns), context)
            except BadRecord as bad:
                context.reject(bad.where, bad.reason)


def _sniff_header(head: bytes, path: Path) -> Row:
    if path.suffix.lower() == ".csv":
        first_line = text_head(head).splitlines()[:1]
        return list(next(csv.reader(first_line), []))
    return next((cells for _, cells in _xlsx_rows(path, None)), [])


def _rows(path: Path, context: TipParseContext) -> Iterator[tuple[int, Row]]:
    """``(row number, cells)``, numbered as a spreadsheet shows them (header = 1)."""
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path, context)
    else:
        yield from _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[tuple[int, Row]]:
    number = 0
    try:
        text = path.read_bytes().decode("utf-8-sig")  # size checked by parse
    except UnicodeDecodeError as exc:
        raise FormatError(
            str(path), f"byte {exc.start}", "not UTF-8; save the sheet as CSV UTF-8"
        ) from None
    first = text.split("\n", 1)[0]
    # Excel in some locales saves tab-separated "CSV"; a comma still wins.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error as exc:
        raise FormatError(
            str(path), f"row {number + 1}", f"broken CSV: {exc}"
        ) from None


def _xlsx_rows(
    path: Path, context: TipParseContext | None
) -> Iterator[tuple[int, Row]]:
    """The first worksheet's rows, read-only and with cached values, not formulas."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        SyntaxError,  # ElementTree's ParseError and lxml's XMLSyntaxError
    )
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except unreadable as exc:
        raise FormatError(
            str(path), None, f"not a readable XLSX workbook: {exc}"
        ) from None
    try:
        if context is not None and len(workbook.worksheets) > 1:
            context.warn("workbook", "only the first worksheet is read")
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except unreadable as exc:
        raise FormatError(
            str(path), None, f"not a readable XLSX workbook: {exc}"
        ) from None
    finally:
        workbook.close()


def _columns(header: Row, context: TipParseContext) -> dict[str, tuple[int, str]]:
    """Kavach field -> (cell index, header as written) for the fields the sheet has."""
    positions: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        if text := values.text(cell):
            positions.setdefault(text.casefold(), []).append(index)
    mapped = context.columns or {}
    found: dict[str, tuple[int, str]] = {}
    for field in SHEET_FIELDS:
        wanted = mapped.get(field, field).strip()
        hits = positions.get(wanted.casefold(), [])
        if len(hits) > 1:
            raise FormatError(
                context.file, "row 1", f"column {wanted!r} appears {len(hits)} times"
            )
        if hits:
            found[field] = (hits[0], wanted)
        elif field in mapped:
            raise FormatError(
                context.file,
                "row 1",
                f"column {wanted!r} (mapped from {field}) is not in the header",
            )
    _refuse_shared(found, context)
    used = {index for index, _ in found.values()}
    unread = [
        t for i, c in enumerate(header) if (t := values.text(c)) and i not in used
    ]
    if unread:
        context.warn("row 1", f"columns not read: {', '.join(unread[:10])}")
    if "report_id" not in found:
        raise FormatError(
            context.file,
            "row 1",
            f"missing column {mapped.get('report_id', 'report_id')!r}",
        )
    return found


def _refuse_shared(found: dict[str, tuple[int, str]], context: TipParseContext) -> None:
    """Two fields reading one column would store, say, the ESP as the report id."""
    seen: dict[int, str] = {}
    for field, (index, header) in found.items():
        if index in seen:
            raise FormatError(
                context.file, "row 1", f"{seen[index]} and {field} both read {header!r}"
            )
        seen[index] = field


class _Row:
    """One data row: cells by Kavach field, and the place to name in a message."""

    def __init__(
        self, cells: Row, number: int, columns: dict[str, tuple[int, str]]
    ) -> None:
        self.cells = cells
        self.number = number
        self.columns = columns

    def get(self, field: str) -> object:
        index = self.columns.get(field, (len(self.cells), ""))[0]
        return self.cells[index] if index < len(self.cells) else None

    def text(self, field: str) -> str | None:
        return values.text(self.get(field))

    def many(self, field: str) -> list[object]:
        value = self.get(field)
        if isinstance(value, date):  # a real date cell holds one value
            return [value]
        return list(values.split(value))

    def where(self, field: str) -> str:
        header = self.columns.get(field, (0, field))[1]
        return f"row {self.number}, field {header}"


def _tip(row: _Row, context: TipParseContext) -> ParsedTip:
    report_id = row.text("report_id")
    if report_id is None:
        raise BadRecord(row.where("report_id"), "no report id")
    esp = row.text("esp")
    location = Location(row.text("city"), row.text("region"), row.text("country_code"))
    tip = ParsedTip(
        source=context.source,
        report_id=report_id,
        where=f"{context.file}, row {row.number}",
        received_at=_time(row, "date_received", row.get("date_received")),
        esp=esp,
        incident_type=row.text("incident_type"),
        incident_at=_time(row, "incident_time", row.get("incident_time")),
        location=location if location != Location() else None,
    )
    person = _person(row, esp)
    if person is not None:
        tip.persons.append(person)
    tip.ip_events = _ip_events(row, 0 if person is not None else None)
    tip.files = _files(row)
    return tip


def _time(row: _Row, field: str, value: object) -> datetime | None:
    return values.time(value, row.where(field), "")


def _person(row: _Row, esp: str | None) -> ReportedPerson | None:
    """The suspect of the row, or None when the row names nobody."""
    service = row.text("esp_service") or esp
    kinds = (
        ("suspect_phone", IdentifierKind.PHONE, None),
        ("suspect_email", IdentifierKind.EMAIL, None),
        ("screen_name", IdentifierKind.SCREEN_NAME, service),
        ("esp_user_id", IdentifierKind.ESP_USER_ID, service),
    )
    person = ReportedPerson(display_name=row.text("suspect_name"))
    for field, kind, on in kinds:
        for value in row.many(field):
            where = row.where(field)
            person.identifiers.append(
                values.identifier(kind, str(value), where, "", on)
            )
    return person if person.identifiers or person.display_name else None


def _aligned(row: _Row, field: str, count: int, of: str) -> list[object]:
    found = row.many(field)
    if found and len(found) != count:
        raise BadRecord(
            row.where(field),
            f"{len(found)} values for {count} in {of}; they align by position",
        )
    return found


def _ip_events(row: _Row, person: int | None) -> list[IpEvent]:
    addresses = [str(a) for a in row.many("ip")]
    times = _aligned(row, "ip_time", len(addresses), "ip")
    ports = _aligned(row, "ip_port", len(addresses), "ip")
    return [
        IpEvent(
            address=values.ip(address, row.where("ip"), ""),
            at=_time(row, "ip_time", at),
            port=values.port(port, row.where("ip_port"), ""),
            person=person,
        )
        for address, at, port in zip_longest(addresses, times, ports)
    ]


def _files(row: _Row) -> list[FileRef]:
    names = [str(n) for n in row.many("file_names")]
    hashes = [str(h) for h in row.many("file_hashes")]
    if names and hashes and len(names) != len(hashes):
        _aligned(row, "file_hashes", len(names), "file_names")
    files = []
    for name, digest in zip_longest(names, hashes):
        hash_value, hash_type = (
            values.file_hash(digest, row.where("file_hashes"), "")
            if digest
            else (None, None)
        )
        files.append(FileRef(name=name, hash_value=hash_value, hash_type=hash_type))
    return files
