"""Rows of a CSV or XLSX file as cells, numbered as a spreadsheet shows them."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from kavach.errors import FormatError

# What a cell holds once read: text from CSV, typed values from XLSX.
Cell = str | int | float | datetime | date | time | None

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls container
_DELIMITERS = ",;\t|"


# Replies are spreadsheets of subscriber windows: even a year of a large ISP's
# answers is far below this; anything larger is a mistake, refused before reading.
MAX_BYTES = 256 * 2**20
# A cell may hold a long postal address, not megabytes.
csv.field_size_limit(2**20)


def read_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    """``(row number, cells)`` for every row, the header being row 1.

    The file's own bytes decide the format, not its name: ISPs send ``.xls`` names
    on CSV text and ``.csv`` names on workbooks.
    """
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
        size = path.stat().st_size
    except OSError as exc:
        raise FormatError(str(path), None, f"cannot be read ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise FormatError(
            str(path),
            None,
            f"{size:,} bytes: larger than a reply can be "
            f"({MAX_BYTES // 2**20} MiB); split it",
        )
    if magic == _OLE:
        raise FormatError(
            str(path), None, "an old .xls workbook: save it as .xlsx or CSV"
        )
    if magic == _ZIP:
        return _xlsx_rows(path)
    return _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(
            str(path), None, f"not UTF-8 text (byte {exc.start}): save as CSV UTF-8"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    # A record is one spreadsheet row even when a quoted cell spans lines.
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, list(record)
    except csv.Error as exc:
        raise FormatError(
            str(path), f"row {number + 1}", f"broken CSV ({exc})"
        ) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        SyntaxError,  # ElementTree's ParseError and lxml's XMLSyntaxError
    ) as exc:
        raise FormatError(
            str(path), None, f"not a readable XLSX workbook ({exc})"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise FormatError(
            str(path), None, f"not a readable XLSX workbook ({exc})"
        ) from None
    finally:
        # A read-only workbook keeps its file open until closed.
        workbook.close()


def is_blank(cells: list[Cell]) -> bool:
    """A row with nothing in it (sheets often end in formatted empty rows)."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def text_of(cell: Cell) -> str | None:
    """A cell as trimmed text, ``None`` when empty; ``40000.0`` reads as ``40000``."""
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    text = str(cell).strip()
    return text or None


def header_key(cell: Cell) -> str:
    """A header as matched: case and surrounding or repeated whitespace ignored."""
    return " ".join((text_of(cell) or "").split()).casefold()
