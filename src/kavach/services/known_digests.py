"""Bare digests looked up in the current alert lists (a tip's files, a chat's media).

Both tips and phone extractions bring file hashes without files; this finds each in
the imported lists' exact indexes and says which list, version and category hold it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kavach.vocabulary import Algorithm, Role

if TYPE_CHECKING:
    from kavach.hashsets.ports import HashsetRepository


def find_in_lists(
    hashsets: HashsetRepository,
    index_root: Path,
    digests: Iterable[tuple[Algorithm, str]],
) -> dict[tuple[Algorithm, str], list[dict[str, str | None]]]:
    """For each digest, the current alert-list entries holding it (list, version,
    category, status); a digest no list holds maps to an empty list."""
    from kavach.matching.digest_lookup import IndexedVersion, lookup_digests

    versions = [
        IndexedVersion(i.version_id, i.version_uid)
        for i in hashsets.current_infos()
        if i.version_id is not None
        and i.version_uid
        and i.role is Role.ALERT
        and i.retired_at is None
    ]
    found = lookup_digests(index_root, versions, sorted(set(digests)))
    entries = hashsets.entries_at(
        sorted({p for pairs in found.values() for p in pairs})
    )
    return {
        digest: [
            {
                "list": e.list_name,
                "version": e.version_label,
                "category": e.category,
                "status": e.status.value,
            }
            for pair in pairs
            if (e := entries.get(pair))
        ]
        for digest, pairs in found.items()
    }
