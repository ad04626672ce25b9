"""HashKeeper ``.hsh`` files (quoted CSV with a fixed header)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
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
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "hash" not in reader.fieldnames:
                raise FormatError(source, "line 1", "not a HashKeeper header")
            for row in reader:
                where = f"line {reader.line_num}"
                value = (row.get("hash") or "").strip()
                algorithm = digests.algorithm_for_length(value)
                if algorithm is None:
                    raise FormatError(
                        source, f"{where}, hash", f"not a digest: {value!r}"
                    )
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
                yield entry
