"""Importing known-hash lists and listing what is held."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kavach.audit.ports import AuditLog
from kavach.hashsets.formats import FormatRegistry, HashsetFormat
from kavach.hashsets.importer import ImportOptions, ImportResult, import_hashset
from kavach.hashsets.ports import HashsetInfo, HashsetRepository, IndexBuilder


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

    def lists(self) -> list[HashsetInfo]:
        """Every list with its current version and counts."""
        return self._repository.list_all()

    def formats(self) -> list[HashsetFormat]:
        return self._formats.all()
