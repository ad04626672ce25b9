"""Consistent copies of the database for backups, and putting one back.

SQLite is copied through its online backup API (a running scan or server goes on);
PostgreSQL through ``pg_dump`` in its custom format, restored with ``pg_restore``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, text

from kavach.errors import InputError, StorageError
from kavach.storage.database import current_revision
from kavach.storage.tables import metadata


def kind(engine: Engine) -> str:
    return "sqlite" if engine.dialect.name == "sqlite" else "postgresql"


def counts(engine: Engine) -> dict[str, int]:
    """Rows per table, for the manifest and for checking a restore."""
    import kavach.storage.account_tables  # noqa: F401  (registers its tables)
    import kavach.storage.casework_tables  # noqa: F401  (registers its tables)
    import kavach.storage.directory_tables  # noqa: F401  (registers its tables)
    import kavach.storage.job_tables  # noqa: F401  (registers its tables)
    import kavach.storage.phone_tables  # noqa: F401  (registers its tables)
    import kavach.storage.watch_tables  # noqa: F401  (registers its tables)

    present = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        return {
            name: int(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
            )
            for name, table in sorted(metadata.tables.items())
            if name in present
        }


def revision(engine: Engine) -> str | None:
    return current_revision(engine)


def snapshot(engine: Engine, url: str, into: Path) -> Path:
    """A consistent copy of the database in ``into``; returns the file."""
    if kind(engine) == "sqlite":
        return _sqlite_snapshot(_sqlite_path(url), into / "database.sqlite")
    return _pg_dump(url, into / "database.pgdump")


def _sqlite_path(url: str) -> Path:
    path = url.removeprefix("sqlite:///")
    if not path or path == ":memory:":
        raise InputError("an in-memory database cannot be backed up")
    return Path(path)


def _sqlite_snapshot(source: Path, target: Path) -> Path:
    # The online backup API copies page by page under SQLite's own locking, so a
    # writer (a scan committing batches) is never stopped and the copy is one moment.
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()
    return target


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _pg_dump(url: str, target: Path) -> Path:
    _needs("pg_dump")
    done = subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            _libpq_url(url),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise StorageError(f"pg_dump failed: {done.stderr.strip()[:300]}")
    return target


def _needs(program: str) -> None:
    if shutil.which(program) is None:
        raise StorageError(
            f"{program} not found: install PostgreSQL's client tools "
            "(Debian: postgresql-client) matching the server's version"
        )


# What ``kavach init`` writes by itself: a database holding only these is empty.
SEEDED = frozenset(
    {"revenue_district", "police_district", "police_station", "legal_section"}
)
SEEDING_ACTIONS = ("unit.load", "sections.seed")


def is_empty(engine: Engine) -> bool:
    """No Kavach table holds the unit's work (a fresh ``kavach init`` is empty)."""
    from kavach.storage.tables import audit_event

    held = {name: n for name, n in counts(engine).items() if name not in SEEDED}
    if any(n for name, n in held.items() if name != "audit_event"):
        return False
    with engine.connect() as connection:
        work = connection.execute(
            select(func.count())
            .select_from(audit_event)
            .where(audit_event.c.action.not_in(SEEDING_ACTIONS))
        ).scalar_one()
    return int(work) == 0


def restore_sqlite(snapshot_file: Path, url: str) -> None:
    """Put a SQLite snapshot in place of the database file (its WAL files go)."""
    target = _sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(snapshot_file, target)


def restore_postgres(dump: Path, engine: Engine, url: str) -> None:
    """Empty the database's public schema, then ``pg_restore`` the dump into it."""
    _needs("pg_restore")
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    done = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            _libpq_url(url),
            str(dump),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise StorageError(f"pg_restore failed: {done.stderr.strip()[:300]}")


class SqlDatabase:
    """Implements ``kavach.backup.ports.Database`` for one engine and its URL."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self._url = url

    def kind(self) -> str:
        return kind(self._engine)

    def revision(self) -> str | None:
        return revision(self._engine)

    def counts(self) -> dict[str, int]:
        return counts(self._engine)

    def is_empty(self) -> bool:
        return is_empty(self._engine)

    def snapshot(self, into: Path) -> Path:
        return snapshot(self._engine, self._url, into)

    def replace_with(self, snapshot_file: Path) -> None:
        self._engine.dispose()
        if self.kind() == "sqlite":
            restore_sqlite(snapshot_file, self._url)
        else:
            restore_postgres(snapshot_file, self._engine, self._url)

    def reopen(self) -> None:
        from kavach.storage.database import upgrade

        # Connections of the old pool saw the replaced file; new ones see the new.
        self._engine.dispose()
        upgrade(self._engine)
