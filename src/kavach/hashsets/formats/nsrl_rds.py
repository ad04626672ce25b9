"""NSRL RDS v3: a SQLite database with a ``FILE`` table of UPPERCASE digests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry, Role

_REQUIRED = {"sha256", "sha1", "md5", "file_name", "file_size"}


class NsrlRdsFormat(HashsetFormat):
    name = "nsrl-rds"
    description = "NSRL RDS v3 SQLite (known files)"
    default_role = Role.KNOWN
    default_scheme = "nsrl"

    def sniff(self, head: bytes, path: Path) -> int:
        return 90 if head.startswith(b"SQLite format 3\x00") else 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        # immutable=1: the list is evidence of a kind too; never let SQLite write to it.
        uri = f"file:{path.resolve()}?mode=ro&immutable=1"
        try:
            connection = sqlite3.connect(uri, uri=True)
        except sqlite3.Error as exc:
            raise FormatError(
                context.source, None, f"cannot open as SQLite: {exc}"
            ) from None
        try:
            yield from _rows(connection, context)
        except sqlite3.DatabaseError as exc:
            raise FormatError(context.source, "table FILE", str(exc)) from None
        finally:
            connection.close()


def _rows(
    connection: sqlite3.Connection, context: ParseContext
) -> Iterator[ParsedEntry]:
    columns = {row[1].lower() for row in connection.execute("PRAGMA table_info(FILE)")}
    if not _REQUIRED <= columns:
        missing = ", ".join(sorted(_REQUIRED - columns))
        raise FormatError(context.source, "table FILE", f"missing columns: {missing}")
    # One entry per distinct SHA-256: the FILE table repeats a file once per package.
    cursor = connection.execute(
        "SELECT sha256, sha1, md5, file_name, file_size, rowid"
        " FROM FILE ORDER BY sha256"
    )
    previous: str | None = None
    source = context.source
    for sha256, sha1, md5, file_name, file_size, rowid in cursor:
        where = f"FILE row {rowid}"
        value = digests.normalize(
            str(sha256), Algorithm.SHA256, source, f"{where}, sha256"
        )
        if value == previous:
            continue
        previous = value
        yield ParsedEntry(
            where=where,
            sha256=value,
            sha1=digests.optional(sha1, Algorithm.SHA1, source, f"{where}, sha1"),
            md5=digests.optional(md5, Algorithm.MD5, source, f"{where}, md5"),
            name=file_name,
            size=int(file_size) if file_size is not None else None,
            category="",
        )
