"""PDQ lists as ThreatExchange's tools write them: ``pdq <hex>`` lines or CSV."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats import text
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry


class PdqListFormat(HashsetFormat):
    name = "pdq"
    description = "PDQ hashes: 'pdq <hex>' lines, or CSV hash,quality,..."

    def sniff(self, head: bytes, path: Path) -> int:
        first = next((ln for ln in text_head(head).splitlines() if ln.strip()), "")
        if first.lower().startswith("pdq "):
            return 95
        cells = [c.strip().lower() for c in first.split(",")]
        if cells and cells[0] in ("hash", "pdq") and len(cells) > 1:
            return 90
        return 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        first = next((line for _, line in text.lines(path, context)), "")
        if first.lower().startswith("pdq "):
            yield from _prefixed(text.lines(path, context), context.source)
        else:
            yield from _csv(text.csv_rows(path, context), context.source)


def _prefixed(lines: Iterator[tuple[int, str]], source: str) -> Iterator[ParsedEntry]:
    for number, raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"line {number}"
        kind, _, value = line.partition(" ")
        if kind.lower() != "pdq":
            raise FormatError(source, where, f"expected 'pdq <hex>', got {line[:80]!r}")
        yield ParsedEntry(
            where=where, pdq=digests.normalize(value, Algorithm.PDQ, source, where)
        )


def _csv(rows: Iterator[tuple[int, list[str]]], source: str) -> Iterator[ParsedEntry]:
    _, first = next(rows, (1, []))
    fields = [f.strip().lower() for f in first]
    key = "hash" if "hash" in fields else "pdq"
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(fields, cells, strict=False))
        where = f"line {number}"
        quality = (row.get("quality") or "").strip()
        if quality and not quality.isdigit():
            raise FormatError(source, f"{where}, quality", f"not a number: {quality!r}")
        yield ParsedEntry(
            where=where,
            pdq=digests.normalize(
                row.get(key) or "", Algorithm.PDQ, source, f"{where}, {key}"
            ),
            pdq_quality=int(quality) if quality else None,
            partner_id=(row.get("id") or row.get("media_id") or "").strip() or None,
            name=(row.get("name") or "").strip() or None,
            category=(row.get("category") or "").strip() or None,
        )
