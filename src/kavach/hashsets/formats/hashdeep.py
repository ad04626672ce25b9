"""hashdeep / md5deep audit files (``%%%% HASHDEEP-1.0``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats import text
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry

_COLUMNS = {"md5": Algorithm.MD5, "sha1": Algorithm.SHA1, "sha256": Algorithm.SHA256}


class HashdeepFormat(HashsetFormat):
    name = "hashdeep"
    description = "hashdeep audit file"

    def sniff(self, head: bytes, path: Path) -> int:
        return 98 if text_head(head).startswith("%%%% HASHDEEP-1.0") else 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        source = context.source
        columns: list[str] = []
        for number, line in text.lines(path, context):
            where = f"line {number}"
            if number == 1:
                if not line.startswith("%%%% HASHDEEP-1.0"):
                    raise FormatError(source, where, "missing %%%% HASHDEEP-1.0")
                continue
            if line.startswith("%%%%"):
                columns = [c.strip().lower() for c in line[4:].split(",")]
                _check_columns(columns, source, where)
                continue
            if not line.strip() or line.startswith("#"):
                continue
            if not columns:
                raise FormatError(source, where, "record before the %%%% column line")
            yield _entry(line, columns, source, where)


def _check_columns(columns: list[str], source: str, where: str) -> None:
    if columns[-1] != "filename":
        raise FormatError(source, where, "the last column must be filename")
    if not any(c in _COLUMNS for c in columns):
        raise FormatError(source, where, "no md5, sha1 or sha256 column")


def _entry(line: str, columns: list[str], source: str, where: str) -> ParsedEntry:
    # The file name is last and may itself hold commas.
    cells = line.split(",", len(columns) - 1)
    if len(cells) != len(columns):
        raise FormatError(
            source, where, f"{len(cells)} fields, expected {len(columns)}"
        )
    entry = ParsedEntry(where=where, name=cells[-1])
    for column, cell in zip(columns[:-1], cells[:-1], strict=True):
        if column == "size":
            if not cell.strip().isdigit():
                raise FormatError(source, f"{where}, size", f"not a size: {cell!r}")
            entry.size = int(cell)
        elif column in _COLUMNS:
            algorithm = _COLUMNS[column]
            setattr(
                entry,
                algorithm.value,
                digests.normalize(cell, algorithm, source, f"{where}, {column}"),
            )
    return entry
