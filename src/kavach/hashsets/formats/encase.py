"""EnCase v6 hash sets (``.hash``): a binary header, then 18-byte MD5 records."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext
from kavach.hashsets.model import Deletion, ParsedEntry

MAGIC = b"HASH\r\n\xff\x00"
COUNT_OFFSET = 0x10
NAME_OFFSET = 0x408
RECORDS_OFFSET = 0x480
RECORD_SIZE = 18  # 16-byte MD5 + 2 bytes the format leaves undocumented


class EncaseHashFormat(HashsetFormat):
    name = "encase"
    description = "EnCase v6 .hash set"

    def sniff(self, head: bytes, path: Path) -> int:
        return 99 if head.startswith(MAGIC) else 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        source = context.source
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(RECORDS_OFFSET)
            if len(header) < RECORDS_OFFSET or not header.startswith(MAGIC):
                raise FormatError(source, "header", "not an EnCase v6 hash set")
            (count,) = struct.unpack_from("<I", header, COUNT_OFFSET)
            expected = RECORDS_OFFSET + count * RECORD_SIZE
            if size < expected:
                raise FormatError(
                    source,
                    "header",
                    f"declares {count} records but the file ends at byte "
                    f"{size} (needs {expected})",
                )
            title = header[NAME_OFFSET:RECORDS_OFFSET].decode("utf-16-le", "replace")
            context.title = title.split("\x00", 1)[0] or None
            for index in range(count):
                record = handle.read(RECORD_SIZE)
                yield ParsedEntry(where=f"record {index + 1}", md5=record[:16].hex())
