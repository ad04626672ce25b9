"""Legacy NSRL ``NSRLFile.txt`` (quoted CSV; SpecialCode ``M``/``S`` deserve a look)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats import text
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry, Role

HEADER = [
    "SHA-1",
    "MD5",
    "CRC32",
    "FileName",
    "FileSize",
    "ProductCode",
    "OpSystemCode",
    "SpecialCode",
]


class NsrlLegacyFormat(HashsetFormat):
    name = "nsrl-legacy"
    description = "Legacy NSRL NSRLFile.txt (known files)"
    default_role = Role.KNOWN
    default_scheme = "nsrl"

    def sniff(self, head: bytes, path: Path) -> int:
        return (
            95 if text_head(head).startswith('"SHA-1","MD5","CRC32","FileName"') else 0
        )

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        source = context.source
        rows = text.csv_rows(path, context)
        _, header = next(rows, (1, []))
        if header[: len(HEADER)] != HEADER:
            raise FormatError(source, "line 1", "not the NSRLFile.txt header")
        for number, row in rows:
            where = f"line {number}"
            if not row:
                continue
            if len(row) < len(HEADER):
                raise FormatError(source, where, f"{len(row)} fields, expected 8")
            sha1, md5, _crc, name, size, product, _os, special = row[:8]
            yield ParsedEntry(
                where=where,
                sha1=digests.normalize(sha1, Algorithm.SHA1, source, f"{where}, SHA-1"),
                md5=digests.optional(md5, Algorithm.MD5, source, f"{where}, MD5"),
                name=name,
                size=int(size) if size.strip().isdigit() else None,
                category=special.strip(),
                attributes={"product_code": product},
            )
