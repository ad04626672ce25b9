"""The tables the code declares are the tables the migrations build."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import kavach.storage.account_tables  # noqa: F401  (declares its tables)
import kavach.storage.casework_tables  # noqa: F401  (declares its tables)
import kavach.storage.job_tables  # noqa: F401  (declares its tables)
from kavach.storage.database import make_engine, upgrade
from kavach.storage.tables import metadata


def test_migrations_build_what_the_tables_declare(database_url: str) -> None:
    # A column added to tables.py without a migration (or the other way round)
    # works in tests that create tables from metadata and breaks a real upgrade.
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), metadata
            )
    finally:
        engine.dispose()
    assert differences == []
