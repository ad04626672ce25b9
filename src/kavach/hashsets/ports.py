"""What the hash-list services need from storage (implemented in ``kavach.storage``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from kavach.hashsets.model import Algorithm, ParsedEntry, Role, Status


@dataclass(frozen=True, slots=True)
class HashsetInfo:
    """A list and its current version, as ``kavach hashset list`` shows it."""

    id: int
    name: str
    role: Role
    source: str | None
    scheme: str
    pdq_threshold: int | None
    version_id: int | None
    version_uid: str | None
    version_label: str | None
    format: str | None
    file_sha256: str | None
    imported_at: datetime | None
    imported_by: str | None
    entry_count: int
    counts: dict[str, int]
    retired_at: datetime | None = None  # retired lists are kept, never matched


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What a match on one list entry says: the list, its version and category."""

    list_name: str
    version_label: str
    category: str | None
    status: Status


@dataclass(frozen=True, slots=True)
class Removal:
    """What removing a list took away."""

    versions: int
    entries: int
    hits: int
    scans: int  # scan runs that had used it (their hits of it are gone)
    uids: list[str]  # index folders to remove


@dataclass(frozen=True, slots=True)
class NewVersion:
    """Provenance of a version about to be written."""

    uid: str
    label: str
    format: str
    scheme: str
    file_name: str
    file_sha256: str
    file_size: int
    imported_by: str
    based_on_version_id: int | None


class IndexBuilder(Protocol):
    """Builds a version's index folder from its entries (matching/index_builder.py).

    Entries are numbered from 0 in the order they are written; the folder is written
    once, after the last entry, inside the import's transaction.
    """

    def add(
        self,
        seq: int,
        digests: dict[Algorithm, str],
        frames: Sequence[tuple[str, int, float]] | None,
        status: Status,
    ) -> None: ...

    def write(self, directory: Path) -> None: ...

    def discard(self) -> None:
        """Drop what was collected (the import failed before ``write``)."""


class VersionWriter(Protocol):
    """Rows of one version, written inside one transaction."""

    def add_entries(self, rows: list[dict[str, Any]]) -> None: ...

    def finish(
        self, entry_count: int, counts: dict[str, int], warnings: list[dict[str, str]]
    ) -> int: ...


class HashsetRepository(Protocol):
    def get(self, name: str) -> HashsetInfo | None: ...

    def list_all(self) -> list[HashsetInfo]: ...

    def current_infos(self) -> list[HashsetInfo]: ...

    def iter_entries(self, version_id: int) -> Iterator[ParsedEntry]: ...

    def retire(self, name: str, actor: str) -> HashsetInfo:
        """Mark a list retired (kept for provenance, left out of new scans);
        ``NotFoundError`` for an unknown name."""
        ...

    def scans_using(self, name: str) -> list[str]:
        """Ids of the scan runs that matched against any version of the list."""
        ...

    def remove(self, name: str) -> Removal:
        """Delete the list, its versions, entries and the hits on them: one
        transaction."""
        ...

    def entries_at(
        self, pairs: Sequence[tuple[int, int]]
    ) -> dict[tuple[int, int], EntryFacts]:
        """The list entries at (version id, entry number), for naming a match."""
        ...

    def version_uids(self) -> dict[str, str]:
        """Every version's uid (its index folder's name), with its list's name."""
        ...

    def write_version(
        self,
        name: str,
        role: Role,
        source: str | None,
        pdq_threshold: int | None,
        version: NewVersion,
    ) -> Any:  # a context manager of VersionWriter
        ...
