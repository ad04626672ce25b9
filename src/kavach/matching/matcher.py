"""Exact matching of a batch of file records against every list version of a scan.

Perceptual matches are decided where the picture is decoded (``pdq_matcher``); the
writer merges both, an exact match of an entry winning over a perceptual one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kavach.matching.list_index import ListIndex
from kavach.vocabulary import EXACT_ALGORITHMS, Algorithm, MatchType


@dataclass(frozen=True, slots=True)
class Candidate:
    """What exact matching needs of a file: its digests (SHA-512 when computed)."""

    md5: str
    sha1: str
    sha256: str
    sha512: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    file: int  # position in the batch
    version_id: int
    seq: int
    algorithm: Algorithm
    match_type: MatchType
    distance: int
    variant: str | None
    detail: str | None = None


class ExactMatcher:
    """Batched lookups of every digest in every list's sorted-digest index."""

    def __init__(self, lists: Sequence[ListIndex]) -> None:
        self._lists = list(lists)

    def match(self, batch: Sequence[Candidate]) -> list[Match]:
        found: dict[tuple[int, int, int], Match] = {}
        for index in self._lists:
            # Strongest digest first, so a file matched by SHA-256 reports SHA-256.
            for algorithm in EXACT_ALGORITHMS:
                exact = index.exact.get(algorithm)
                if exact is None:
                    continue
                values = [getattr(c, algorithm.value) for c in batch]
                if None in values:  # SHA-512 when the scan did not compute it
                    continue
                keys = [bytes.fromhex(value) for value in values]
                for position, seqs in enumerate(exact.lookup(keys)):
                    for seq in seqs:
                        if index.alerts_on(seq):
                            match = Match(
                                position,
                                index.version_id,
                                seq,
                                algorithm,
                                MatchType.EXACT,
                                0,
                                None,
                            )
                            found.setdefault((position, index.version_id, seq), match)
        return sorted(found.values(), key=lambda m: (m.file, m.version_id, m.seq))
