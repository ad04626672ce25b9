"""Looking up bare digests (a tip's file hashes) in the lists' exact indexes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kavach.matching.exact_index import ExactIndex
from kavach.vocabulary import Algorithm


@dataclass(frozen=True, slots=True)
class IndexedVersion:
    """A list version whose index folder can be opened."""

    version_id: int
    uid: str


def lookup_digests(
    index_root: Path,
    versions: Sequence[IndexedVersion],
    digests: Sequence[tuple[Algorithm, str]],
) -> dict[tuple[Algorithm, str], list[tuple[int, int]]]:
    """For each (algorithm, hex digest): the (version id, entry number) holding it.

    Opens each version's index once (memory-mapped), so a batch of tips costs one
    open per list, not one per file.
    """
    found: dict[tuple[Algorithm, str], list[tuple[int, int]]] = {d: [] for d in digests}
    by_algorithm: dict[Algorithm, list[str]] = {}
    for algorithm, value in digests:
        by_algorithm.setdefault(algorithm, []).append(value)
    for version in versions:
        folder = index_root / version.uid
        for algorithm, values in by_algorithm.items():
            index = ExactIndex.open(folder, algorithm) if folder.is_dir() else None
            if index is None:
                continue
            hits = index.lookup([bytes.fromhex(v) for v in values])
            for value, seqs in zip(values, hits, strict=True):
                found[(algorithm, value)].extend((version.version_id, s) for s in seqs)
    return found
