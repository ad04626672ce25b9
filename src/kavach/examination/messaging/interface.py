"""The messaging-app reader interface, its registry, and read-only SQLite access.

A reader recognises its app's main database by name and SQLite header (``sniff``)
and reads it, with the companion files it looks for beside it (WhatsApp's wa.db and
preferences, iOS's ContactsV2.sqlite), into ``AppRecords``. Evidence is never
written: a database is opened immutable, or — when a write-ahead log lies beside
it, whose pages hold the newest rows — copied with its log to a scratch folder
first, so SQLite can apply the log to the copy.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Protocol
from urllib.parse import quote

from kavach.examination.messaging.model import AppRecords
from kavach.registry import SniffRegistry

SQLITE_HEADER = b"SQLite format 3\x00"


class MessagingReader(Protocol):
    """One app's databases read into accounts, contacts, groups and media records."""

    @property
    def name(self) -> str: ...

    def sniff(self, head: bytes, path: Path) -> int:
        """100 for my main database (its file name and an SQLite header), else 0."""
        ...

    def read(self, path: Path) -> AppRecords: ...


class MessagingRegistry(SniffRegistry[MessagingReader]):
    noun: ClassVar[str] = "messaging database"
    unknown_noun: ClassVar[str] = "messaging app"


def is_sqlite(head: bytes) -> bool:
    return head.startswith(SQLITE_HEADER)


@contextmanager
def open_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot change ``path`` (nor its -wal and -shm files)."""
    wal = path.with_name(path.name + "-wal")
    with tempfile.TemporaryDirectory(prefix="kavach-db-") as scratch:
        if wal.is_file() and wal.stat().st_size:
            copy = Path(scratch) / path.name
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            connection = sqlite3.connect(copy)
        else:
            uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True)
        connection.row_factory = sqlite3.Row
        try:
            yield connection
        finally:
            connection.close()


def tables(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


def columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}


def pick(present: set[str], *names: str) -> str:
    """A select list of ``names``, each absent column as NULL (versions drift)."""
    return ", ".join(n if n in present else f"NULL AS {n}" for n in names)
