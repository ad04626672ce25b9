"""Databases for tests: a SQLite file in tmp_path, or a fresh PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    return os.environ.get("KAVACH_TEST_POSTGRES_URL", DEFAULT_PG)


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new, empty database on the machine's PostgreSQL, dropped afterwards."""
    admin = make_url(postgres_admin_url()).set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # the server is not there
        if os.environ.get("KAVACH_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    name = f"kavach_test_{uuid.uuid4().hex[:12]}"
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin.set(database=name).render_as_string(hide_password=False)
        yield url.replace("postgresql+psycopg://", "postgresql://", 1)
    finally:
        with engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                )
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        engine.dispose()


def lift_append_only_guard(connection: Connection, table: str) -> None:
    """Drop the triggers that make ``table`` append-only, as someone holding the
    database's owner login could: what is left to catch tampering is the hash chain.
    """
    if connection.dialect.name == "sqlite":
        for verb in ("update", "delete"):
            connection.execute(text(f"DROP TRIGGER {table}_no_{verb}"))
    else:
        connection.execute(text(f"DROP TRIGGER {table}_no_change ON {table}"))
