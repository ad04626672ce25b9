"""HashKeeper ``.hsh`` files (quoted CSV with a fixed header)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats import text
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Deletion, ParsedEntry

_HEAD = '"file_id","hashset_id","file_name","directory","hash","file_size"'


class HashkeeperFormat(HashsetFormat):
    name = "hashkeeper"
    description = "HashKeeper .hsh"

    def sniff(self, head: bytes, path: Path) -> int:
        return 95 if text_head(head).startswith(_HEAD) else 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        source = context.source
        rows = text.csv_rows(path, context)
        _, header = next(rows, (1, []))
        if "hash" not in header:
            raise FormatError(source, "line 1", "not a HashKeeper header")
        for number, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            cells_by_name = dict(zip(header, cells, strict=False))
            yield _entry(cells_by_name, f"line {number}", source)


def _entry(row: dict[str, str], where: str, source: str) -> ParsedEntry:
    value = (row.get("hash") or "").strip()
    algorithm = digests.algorithm_for_length(value)
    if algorithm is None:
        raise FormatError(source, f"{where}, hash", f"not a digest: {value!r}")
    directory = (row.get("directory") or "").strip()
    name = (row.get("file_name") or "").strip()
    size = (row.get("file_size") or "").strip()
    entry = ParsedEntry(
        where=where,
        name=f"{directory}\\{name}" if directory else name or None,
        size=int(size) if size.isdigit() else None,
        partner_id=(row.get("file_id") or "").strip() or None,
    )
    setattr(entry, algorithm.value, value.lower())
    return entry
