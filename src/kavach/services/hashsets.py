"""Importing known-hash lists and listing what is held."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from kavach.audit.ports import AuditLog
from kavach.errors import InputError
from kavach.hashsets.formats import FormatRegistry, HashsetFormat
from kavach.hashsets.importer import ImportOptions, ImportResult, import_hashset
from kavach.hashsets.ports import (
    HashsetInfo,
    HashsetRepository,
    IndexBuilder,
    Removal,
)


class HashsetService:
    def __init__(
        self,
        repository: HashsetRepository,
        formats: FormatRegistry,
        index_root: Path,
        new_index: Callable[[], IndexBuilder],
        audit: AuditLog,
    ) -> None:
        self._repository = repository
        self._formats = formats
        self._index_root = index_root
        self._new_index = new_index
        self._audit = audit

    def import_list(
        self,
        path: Path,
        options: ImportOptions,
        actor: str,
        on_entries: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Import ``path`` as a new version of a list (all or nothing); audited.

        A file the list already holds as its current version imports nothing and
        is audited as such, so the log shows every attempt.
        """
        result = import_hashset(
            path,
            options,
            self._repository,
            self._formats,
            self._index_root,
            actor,
            self._new_index,
            on_entries,
        )
        info = result.info
        self._audit.record(
            actor,
            "hashset.import",
            info.name,
            {
                "version": info.version_label,
                "file": str(path.resolve()),
                "sha256": info.file_sha256,
                "format": result.format,
                "entries": info.entry_count,
                "withdrawn": result.deleted,
                "warnings": len(result.warnings),
                "unchanged": result.unchanged,
            },
        )
        return result

    def retire(self, name: str, actor: str) -> HashsetInfo:
        """Keep a list for provenance but match it no more; audited."""
        info = self._repository.retire(name, actor)
        self._audit.record(
            actor, "hashset.retire", name, {"version": info.version_label}
        )
        return info

    def remove(self, name: str, actor: str, force: bool = False) -> Removal:
        """Delete a list and its index folders; audited.

        Refused while any scan run used it (its hits would vanish from that run's
        record) unless ``force``.
        """
        scans = self._repository.scans_using(name)
        if scans and not force:
            shown = ", ".join(s[:12] for s in scans[:5])
            raise InputError(
                f"list {name!r} was used by {len(scans)} scan run(s) ({shown}); "
                "retire it instead (kavach hashset retire), or give --force to "
                "delete it and its hits"
            )
        removal = self._repository.remove(name)
        for uid in removal.uids:
            shutil.rmtree(self._index_root / uid, ignore_errors=True)
        self._audit.record(
            actor,
            "hashset.remove",
            name,
            {
                "versions": removal.versions,
                "entries": removal.entries,
                "hits": removal.hits,
                "scans": scans,
                "force": force,
            },
        )
        return removal

    def lists(self) -> list[HashsetInfo]:
        """Every list with its current version and counts."""
        return self._repository.list_all()

    def formats(self) -> list[HashsetFormat]:
        return self._formats.all()
