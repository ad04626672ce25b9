"""The audit log in the database: appended to, never updated."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text

from kavach.audit.chain import GENESIS, AuditEntry, entry_hash
from kavach.storage.tables import audit_event
from kavach.storage.timestamps import aware as _aware


class SqlAuditLog:
    """Implements ``kavach.audit.ports.AuditLog``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(
        self, actor: str, action: str, target: str, detail: dict[str, Any] | None = None
    ) -> str:
        detail = detail or {}
        # Second precision round-trips through every database identically.
        at = datetime.now(UTC).replace(microsecond=0)
        with self._engine.begin() as connection:
            _take_the_head(connection)
            previous = (
                connection.execute(
                    select(audit_event.c.hash)
                    .order_by(audit_event.c.id.desc())
                    .limit(1)
                ).scalar()
                or GENESIS
            )
            digest = entry_hash(previous, at, actor, action, target, detail)
            connection.execute(
                insert(audit_event).values(
                    at=at,
                    actor=actor,
                    action=action,
                    target=target,
                    detail=json.dumps(detail, sort_keys=True, default=str),
                    prev_hash=previous,
                    hash=digest,
                )
            )
        return digest

    def entries(self) -> list[AuditEntry]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(audit_event).order_by(audit_event.c.id)
            ).all()
        return [
            AuditEntry(
                _aware(r.at),
                r.actor,
                r.action,
                r.target,
                json.loads(r.detail),
                r.prev_hash,
                r.hash,
                r.id,
            )
            for r in rows
        ]


# Any number, the same in every process: the lock the appenders of the log share.
_AUDIT_LOCK = 0x4B41_5641  # "KAVA"


def _take_the_head(connection: Connection) -> None:
    """Serialise appends: the entry read as "previous" must still be the last one
    when this one is written, or two processes fork the chain (and an identical
    entry in the same second collides on its hash). PostgreSQL: a transaction
    advisory lock; SQLite: a write statement, which takes the database's write lock
    before the read (it matches no row, so the append-only trigger never fires)."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK}
        )
    else:
        connection.execute(text("UPDATE audit_event SET id = id WHERE 0 = 1"))
