"""Reading the audit log, and checking that its chain is whole."""

from __future__ import annotations

from dataclasses import dataclass

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

    def check(self, actor: str) -> ChainCheck:
        """The chain checked whole: how many entries, and the id of the first one
        edited, removed or reordered (None: it holds). The check is audited."""
        entries = self._log.entries()
        broken = verify_chain(entries)
        result = ChainCheck(
            len(entries), None if broken is None else entries[broken].id
        )
        self._log.record(
            actor,
            "audit.verify",
            "audit",
            {"entries": result.entries, "broken_at": result.broken_id},
        )
        return result


@dataclass(frozen=True, slots=True)
class ChainCheck:
    entries: int
    broken_id: int | None
