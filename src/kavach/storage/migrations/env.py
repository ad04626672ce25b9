"""Alembic environment: runs migrations on the engine Kavach hands over.

On SQLite, migrations that change a table rebuild it (copy, drop, rename); with
foreign keys enforced, dropping a table that other rows refer to fails. So the
check is off while migrating — set before the transaction begins, as SQLite
ignores it inside one — and every reference is checked once at the end.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

import kavach.storage.account_tables  # noqa: F401  (registers its tables)
import kavach.storage.casework_tables  # noqa: F401  (registers its tables)
import kavach.storage.directory_tables  # noqa: F401  (registers its tables)
import kavach.storage.job_tables  # noqa: F401  (registers its tables)
import kavach.storage.phone_tables  # noqa: F401  (registers its tables)
import kavach.storage.watch_tables  # noqa: F401  (registers its tables)
from kavach.storage.tables import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    with connection.begin():
        context.configure(
            connection=connection, target_metadata=metadata, render_as_batch=True
        )
        context.run_migrations()
        if sqlite:
            broken = connection.execute(text("PRAGMA foreign_key_check")).first()
            if broken is not None:
                raise RuntimeError(f"a migration broke a reference: {tuple(broken)}")
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
