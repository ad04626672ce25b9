"""Reading the audit log, and checking that its chain is whole."""

from __future__ import annotations

from kavach.audit.chain import AuditEntry, verify_chain
from kavach.audit.ports import AuditLog


class AuditService:
    def __init__(self, log: AuditLog) -> None:
        self._log = log

    def entries(self) -> list[AuditEntry]:
        """Every entry, oldest first."""
        return self._log.entries()

    def broken_at(self) -> int | None:
        """Position of the first entry whose chain is broken, or None."""
        return verify_chain(self._log.entries())
