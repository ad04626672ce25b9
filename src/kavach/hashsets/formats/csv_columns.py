"""CSV lists with a header row and any column order (IPED's "custom CSV" and the like).

Units keep lists as spreadsheets exported to CSV: ``FileName,MD5,SHA1,Size,...``,
comma-, semicolon-, tab- or pipe-separated. The header names the columns; the usual
names are recognised (``MD5``, ``SHA-1``, ``sha256``, ``FileName``, ``Category``...),
and ``--columns md5=Hash,name=Item`` names the rest. Columns nobody asked for are kept
as the entry's attributes, so nothing the partner wrote is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from kavach.errors import FormatError, InputError
from kavach.hashsets import digests
from kavach.hashsets.formats import text
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry

DELIMITERS = ",;\t|"
# Kavach's field -> header names that mean it, compared without case, spaces,
# dashes or underscores.
USUAL_NAMES: dict[str, tuple[str, ...]] = {
    "md5": ("md5", "md5hash", "hashmd5"),
    "sha1": ("sha1", "sha1hash", "hashsha1"),
    "sha256": ("sha256", "sha256hash", "hashsha256"),
    "sha512": ("sha512", "sha512hash", "hashsha512"),
    "pdq": ("pdq", "pdqhash"),
    "pdq_quality": ("pdqquality", "quality"),
    "name": ("filename", "name", "file", "filepath", "path", "relativefilepath"),
    "size": ("size", "filesize", "mediasize", "bytes"),
    "category": ("category", "cat", "classification"),
    "id": ("id", "mediaid", "imageid", "fileid"),
    "series": ("series", "seriesname"),
    "media_type": ("mediatype", "mimetype", "type"),
}
FIELDS = tuple(USUAL_NAMES)
DIGEST_FIELDS = {
    "md5": Algorithm.MD5,
    "sha1": Algorithm.SHA1,
    "sha256": Algorithm.SHA256,
    "sha512": Algorithm.SHA512,
    "pdq": Algorithm.PDQ,
}
# Attributes beyond this many columns are dropped, with one warning.
MAX_ATTRIBUTES = 32


def squash(name: str) -> str:
    """A header name as compared: lowercase, no spaces, dashes, dots or underscores."""
    return re.sub(r"[\s_\-.]", "", name.strip().lower())


def parse_columns(spec: str) -> dict[str, str]:
    """``"md5=MD5,name=FileName"`` as ``{"md5": "MD5", "name": "FileName"}``."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        field, sep, header = part.partition("=")
        field = field.strip().lower()
        if not sep or not field or not header.strip():
            raise InputError(
                f"--columns {spec!r}: each part is FIELD=HEADER, e.g. md5=MD5"
            )
        if field not in FIELDS:
            raise InputError(
                f"--columns: unknown field {field!r} (known: {', '.join(FIELDS)})"
            )
        mapping[field] = header.strip()
    if not mapping.keys() & DIGEST_FIELDS.keys():
        raise InputError("--columns names no digest (md5, sha1, sha256, sha512 or pdq)")
    return mapping


def delimiter_of(header_line: str) -> str:
    """The separator the header line uses most."""
    return max(DELIMITERS, key=header_line.count)


def column_map(
    header: list[str], asked: Mapping[str, str] | None, source: str
) -> dict[str, int]:
    """Kavach's field -> column index, from ``--columns`` or the usual names."""
    by_squashed = {squash(name): index for index, name in enumerate(header)}
    found: dict[str, int] = {}
    for field, names in USUAL_NAMES.items():
        wanted = [asked[field]] if asked and field in asked else list(names)
        for name in wanted:
            index = by_squashed.get(squash(name))
            if index is not None:
                found[field] = index
                break
        else:
            if asked and field in asked:
                raise FormatError(
                    source,
                    "line 1",
                    f"no column {asked[field]!r} for {field} "
                    f"(the header has: {', '.join(header)})",
                )
    if not found.keys() & DIGEST_FIELDS.keys():
        raise FormatError(
            source,
            "line 1",
            "no digest column (MD5, SHA1, SHA256 or PDQ) in the header; "
            "name it with --columns md5=HEADER",
        )
    return found


class CsvColumnsFormat(HashsetFormat):
    name = "csv"
    description = "CSV with a header row, any column order (--columns to map)"

    def sniff(self, head: bytes, path: Path) -> int:
        lines = text_head(head).splitlines()
        if not lines:
            return 0
        header = lines[0].split(delimiter_of(lines[0]))
        names = {squash(cell.strip('"')) for cell in header}
        digest_names = {n for f in DIGEST_FIELDS for n in USUAL_NAMES[f]}
        # Below the formats with a fixed header (ICSE, NSRL, HashKeeper, PDQ CSV).
        return 40 if len(header) > 1 and names & digest_names else 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        first = next((line for _, line in text.lines(path, context)), "")
        rows = text.csv_rows(path, context, delimiter=delimiter_of(first))
        _, header = next(rows, (1, []))
        header = [name.strip() for name in header]
        columns = column_map(header, context.columns, context.source)
        extra = [i for i in range(len(header)) if i not in columns.values()]
        if len(extra) > MAX_ATTRIBUTES:
            context.warn(
                "line 1",
                f"{len(extra)} other columns; the first {MAX_ATTRIBUTES} are kept",
            )
            extra = extra[:MAX_ATTRIBUTES]
        for number, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            entry = _entry(header, cells, columns, extra, f"line {number}", context)
            if entry is not None:
                yield entry


def _entry(
    header: list[str],
    cells: list[str],
    columns: dict[str, int],
    extra: list[int],
    where: str,
    context: ParseContext,
) -> ParsedEntry | None:
    def cell(field: str) -> str:
        index = columns.get(field)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    if len(cells) > len(header):
        raise FormatError(
            context.source, where, f"{len(cells)} fields, the header has {len(header)}"
        )
    entry = ParsedEntry(where=where)
    for field, algorithm in DIGEST_FIELDS.items():
        label = f"{where}, {header_of(field, header, columns)}"
        value = digests.optional(cell(field), algorithm, context.source, label)
        setattr(entry, algorithm.value, value)
    if not entry.digests():
        context.warn(where, "no digest on this line; skipped")
        return None
    entry.name = cell("name") or None
    entry.size = _whole(cell("size"), context, f"{where}, size")
    entry.pdq_quality = _whole(cell("pdq_quality"), context, f"{where}, quality")
    entry.category = cell("category") or None
    entry.partner_id = cell("id") or None
    entry.series = cell("series") or None
    entry.media_type = cell("media_type") or None
    for index in extra:
        if index < len(cells) and cells[index].strip():
            entry.attributes[header[index]] = cells[index].strip()
    return entry


def header_of(field: str, header: list[str], columns: dict[str, int]) -> str:
    index = columns.get(field)
    return header[index] if index is not None else field


def _whole(value: str, context: ParseContext, where: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise FormatError(context.source, where, f"not a whole number: {value!r}")
    return int(value)
