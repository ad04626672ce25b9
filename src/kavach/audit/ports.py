"""What the services need of the audit log (implemented in ``kavach.storage``)."""

from __future__ import annotations

from typing import Any, Protocol

from kavach.audit.chain import AuditEntry


class AuditLog(Protocol):
    """An append-only log; each entry is chained to the one before it."""

    def record(
        self, actor: str, action: str, target: str, detail: dict[str, Any] | None = None
    ) -> str:
        """Append an entry; returns its hash."""
        ...

    def entries(self) -> list[AuditEntry]:
        """Every entry, oldest first."""
        ...
