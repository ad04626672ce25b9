"""Keeping the data folder and the database consistent: ``kavach init`` / ``doctor``."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kavach.audit.chain import verify_chain
from kavach.audit.ports import AuditLog
from kavach.hashsets.ports import HashsetRepository


@dataclass
class Health:
    """What a check found: folders removed, and problems left for a person."""

    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class MaintenanceService:
    def __init__(
        self, hashsets: HashsetRepository, audit: AuditLog, index_root: Path
    ) -> None:
        self._hashsets = hashsets
        self._audit = audit
        self._index_root = index_root

    def clean_index_folders(self, actor: str) -> list[str]:
        """Remove index folders no list version owns (an import killed while it
        built them); audited. Returns the folders' names."""
        owned = self._hashsets.version_uids()
        orphans = sorted(
            p for p in self._index_root.iterdir() if p.is_dir() and p.name not in owned
        )
        for folder in orphans:
            shutil.rmtree(folder)
        names = [p.name for p in orphans]
        if names:
            self._audit.record(
                actor, "maintenance.clean", "indexes", {"removed": names}
            )
        return names

    def check(self, actor: str) -> Health:
        """Clean what is safe to clean; report what needs a person."""
        health = Health(removed=self.clean_index_folders(actor))
        for uid, name in sorted(self._hashsets.version_uids().items()):
            if not (self._index_root / uid).is_dir():
                health.problems.append(
                    f"list {name!r}: index folder {uid} is missing; import the "
                    "list again"
                )
        broken = verify_chain(self._audit.entries())
        if broken is not None:
            health.problems.append(
                f"audit log: the hash chain breaks at entry {broken + 1}; an entry "
                "was edited or removed"
            )
        return health
