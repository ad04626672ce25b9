"""Interpol ICSE CSV export (semicolon-separated, fixed header)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats import text
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry

_ATTRIBUTES = {
    "Is distributed": "is_distributed",
    "Victim identified": "victim_identified",
    "Offender identified": "offender_identified",
    "Investigation name": "investigation",
    "Agency": "agency",
    "Number of submissions": "submissions",
    "File Available": "file_available",
    "Baseline": "baseline",
}


class IcseCsvFormat(HashsetFormat):
    name = "icse"
    description = "Interpol ICSE CSV export"
    default_scheme = "icse"

    def sniff(self, head: bytes, path: Path) -> int:
        first = text_head(head).splitlines()[0] if head else ""
        if first.startswith("MD5;SHA1;") and "Image ID" in first:
            return 95
        return 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        rows = text.csv_rows(path, context, delimiter=";")
        _, first = next(rows, (1, []))
        header = [name.strip() for name in first]
        if "MD5" not in header or "SHA1" not in header:
            raise FormatError(context.source, "line 1", "header lacks MD5 and SHA1")
        width = len(header)
        for number, row in rows:
            where = f"line {number}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) == width + 1 and not row[-1].strip():
                row = row[:-1]  # real exports have had a trailing empty column
            if len(row) != width:
                raise FormatError(
                    context.source, where, f"{len(row)} fields, the header has {width}"
                )
            entry = _entry(dict(zip(header, row, strict=True)), where, context)
            if entry is not None:
                yield entry


def _entry(
    cells: dict[str, str], where: str, context: ParseContext
) -> ParsedEntry | None:
    md5_text = cells["MD5"].strip()
    md5: str | None = None
    if md5_text:
        if len(md5_text) == 33:
            context.warn(where, f"33-character MD5 {md5_text!r} ignored")
        else:
            md5 = digests.normalize(
                md5_text, Algorithm.MD5, context.source, f"{where}, MD5"
            )
    sha1 = digests.optional(
        cells["SHA1"], Algorithm.SHA1, context.source, f"{where}, SHA1"
    )
    if md5 is None and sha1 is None:
        context.warn(where, "no usable digest; line skipped")
        return None
    baseline = cells.get("Baseline", "").strip().lower()
    entry = ParsedEntry(
        where=where,
        md5=md5,
        sha1=sha1,
        partner_id=cells.get("Image ID", "").strip() or None,
        series=cells.get("Series name", "").strip() or None,
        media_type=cells.get("Media Type", "").strip().lower() or None,
        category="baseline" if baseline == "yes" else None,
    )
    for column, key in _ATTRIBUTES.items():
        value = cells.get(column, "").strip()
        if value:
            entry.attributes[key] = value
    return entry
