"""NSRL RDS v3: a SQLite database with a ``FILE`` table of UPPERCASE digests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry, Role

# Kavach's own code for a known file of a tool product (NSRL uses "", M and S).
TOOL_CODE = "T"
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
    # One entry per distinct SHA-256: the FILE table repeats a file once per package,
    # so the rows of one digest are read together to see every package it is in.
    cursor = connection.execute(_query(connection, columns))
    group: list[tuple[object, ...]] = []
    for row in cursor:
        if group and row[0] != group[0][0]:
            yield _entry(group, context.source)
            group = []
        group.append(row)
    if group:
        yield _entry(group, context.source)


def _query(connection: sqlite3.Connection, columns: set[str]) -> str:
    packages = {row[1].lower() for row in connection.execute("PRAGMA table_info(PKG)")}
    if "package_id" in columns and {"package_id", "name"} <= packages:
        return (
            "SELECT f.sha256, f.sha1, f.md5, f.file_name, f.file_size, f.rowid, p.name"
            " FROM FILE f LEFT JOIN PKG p ON p.package_id = f.package_id"
            " ORDER BY f.sha256"
        )
    return (
        "SELECT sha256, sha1, md5, file_name, file_size, rowid, NULL"
        " FROM FILE ORDER BY sha256"
    )


def _entry(group: list[tuple[object, ...]], source: str) -> ParsedEntry:
    sha256, sha1, md5, file_name, file_size, rowid, _ = group[0]
    where = f"FILE row {rowid}"
    # A file of a product a tool rule names (VeraCrypt, CCleaner, Tor Browser) is
    # known software worth showing: category T gives a hit, shown as a tool.
    # Imported here: the format registry is built at every start, the rules only
    # when an NSRL database is read.
    from kavach.examination.tool_rules import ToolRules

    rules = ToolRules.packaged()
    tool = next((str(p) for *_, p in group if rules.product(_text(p))), None)
    return ParsedEntry(
        where=where,
        sha256=digests.normalize(
            str(sha256), Algorithm.SHA256, source, f"{where}, sha256"
        ),
        sha1=digests.optional(_text(sha1), Algorithm.SHA1, source, f"{where}, sha1"),
        md5=digests.optional(_text(md5), Algorithm.MD5, source, f"{where}, md5"),
        name=_text(file_name),
        size=int(str(file_size)) if file_size is not None else None,
        category=TOOL_CODE if tool else "",
        series=tool,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
