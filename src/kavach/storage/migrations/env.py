"""Alembic environment: runs migrations on the engine Kavach hands over."""

from __future__ import annotations

from alembic import context

import kavach.storage.casework_tables  # noqa: F401  (registers its tables)
from kavach.storage.tables import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=True
    )
    context.run_migrations()
