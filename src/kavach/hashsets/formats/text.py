"""Reading text lists as partners really write them.

Lists arrive from many tools: with a UTF-8 byte-order mark, in Latin-1 or
Windows-1252 (file names from seized media), with a field of hundreds of KB. None of
that may crash an import or lose a digest, so every text format reads its lines here:

- the BOM is dropped;
- bytes that are not UTF-8 are kept as ``\\xNN`` escapes (the digest on the line is
  still good) and the line is named in a warning;
- a line longer than ``MAX_LINE`` is refused naming its number, so a binary file fed
  in by mistake cannot fill memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets.formats.interface import ParseContext

BOM = b"\xef\xbb\xbf"
MAX_LINE = 16 * 1024 * 1024
# Lines named one by one before the rest are only counted.
NAMED_WARNINGS = 10


def lines(
    path: Path, context: ParseContext, *, keep_ends: bool = False
) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of every line of ``path``, decoded as said above."""
    undecodable = 0
    with path.open("rb") as handle:
        number = 0
        while raw := handle.readline(MAX_LINE + 1):
            number += 1
            if len(raw) > MAX_LINE:
                raise FormatError(
                    context.source,
                    f"line {number}",
                    f"longer than {MAX_LINE // (1024 * 1024)} MiB; not a hash list?",
                )
            if number == 1:
                raw = raw.removeprefix(BOM)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", "backslashreplace")
                undecodable += 1
                if undecodable <= NAMED_WARNINGS:
                    context.warn(
                        f"line {number}",
                        "not valid UTF-8; those bytes are kept as \\x escapes",
                    )
            yield number, text if keep_ends else text.rstrip("\r\n")
    if undecodable > NAMED_WARNINGS:
        context.warn(
            "file",
            f"{undecodable} lines were not valid UTF-8 in all "
            f"(the first {NAMED_WARNINGS} are named)",
        )


def csv_rows(
    path: Path, context: ParseContext, *, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` of a CSV file, read through ``lines``.

    The number is the line the row starts on, so a quoted cell spanning lines
    still points at its record.
    """
    # Partners' exports carry long attribute cells; the csv module's default limit
    # (128 KB) would refuse a real list. The line limit above still bounds memory.
    if csv.field_size_limit() < MAX_LINE:
        csv.field_size_limit(MAX_LINE)
    source = (text for _, text in lines(path, context, keep_ends=True))
    reader = csv.reader(source, delimiter=delimiter)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FormatError(
                context.source, f"line {reader.line_num}", f"broken CSV: {exc}"
            ) from None
        yield start, row
        start = reader.line_num + 1
