"""Engines and migrations: the one place that knows SQLite and PostgreSQL apart."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError

from kavach.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. A database already there opens without loading Alembic
# (a third of a second); a test checks this equals Alembic's own head.
HEAD = "0020_media_reviews"


def make_engine(url: str, busy_timeout: float = 60) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout
    (seconds a write waits for another writer)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    """Alembic's head, read from the migration scripts."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    return script.get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for a new, empty database)."""
    try:
        with engine.connect() as connection:
            value = connection.execute(
                text("SELECT version_num FROM alembic_version")
            ).scalar()
    except DBAPIError as exc:
        if isinstance(exc, OperationalError) and "no such table" not in str(exc):
            raise
        return None  # no alembic_version table yet
    return None if value is None else str(value)


def upgrade(engine: Engine) -> None:
    """Create the database or bring it to the newest schema."""
    try:
        if current_revision(engine) == HEAD:
            return
        from alembic import command

        command.upgrade(_alembic_config(engine), "head")
    except OperationalError as exc:
        raise StorageError(f"cannot open the database: {exc.orig}") from None


def new_id(result: Any) -> int:
    """The primary key of the row an INSERT wrote."""
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every Kavach table has an integer key
        raise StorageError("the database returned no key for a new row")
    return int(key[0])
