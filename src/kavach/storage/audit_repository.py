"""The audit log in the database: appended to, never updated."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select

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
