"""Perceptual matching of one picture, where it is decoded (in a worker).

Fast path: a JPEG large enough is decoded at reduced size (DCT scaling), hashed, and
searched at a threshold widened by ``margin`` bits — more than the largest drift
ever measured between the reduced and the full-size hash. Only when that finds a
candidate is the picture decoded again the reference way (full size, RGB), and the
decision is taken on the reference hash: a hit's distance is always the reference
distance, so the decisions equal those of the reference pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from kavach.matching.list_index import ListIndex
from kavach.matching.pdq_index import as_words, popcount_distances
from kavach.perceptual.pdq import VARIANTS, PdqResult, decode_rgb, pdq_of_pixels
from kavach.vocabulary import DEFAULT_PDQ_MIN_QUALITY, Algorithm, PdqSource

Opener = Callable[[], BinaryIO]


@dataclass(frozen=True)
class PdqPolicy:
    """How pictures are hashed and matched (stored with each scan run)."""

    min_quality: int = DEFAULT_PDQ_MIN_QUALITY
    rotations: bool = True
    fast: bool = True
    # The reduced decode keeps the shorter side at least this long; the widened
    # search margin must exceed the drift measured at that size (bench/pdq_speed.py).
    fast_min_side: int = 360
    margin: int = 16
    quality_margin: int = 10


@dataclass(frozen=True, slots=True)
class PdqMatch:
    version_id: int
    seq: int
    distance: int
    variant: str | None  # the dihedral variant; None for a video
    algorithm: Algorithm = Algorithm.PDQ  # or VPDQ for a video
    detail: str | None = None  # e.g. the matching frames' timestamps


@dataclass
class PdqOutcome:
    """The hash a file record keeps, how it was made, and the matches decided."""

    result: PdqResult
    source: PdqSource
    matches: list[PdqMatch] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Candidate:
    list_index: ListIndex
    seq: int
    row: int


class PdqMatcher:
    def __init__(self, lists: Sequence[ListIndex], policy: PdqPolicy) -> None:
        self._lists = [index for index in lists if index.pdq is not None]
        self._policy = policy

    def examine(self, opener: Opener) -> PdqOutcome:
        """Hash the picture ``opener`` opens and match it; ImageDecodeError if not."""
        policy = self._policy
        with opener() as handle:
            pixels, reduced = decode_rgb(
                handle, policy.fast_min_side if policy.fast else 0
            )
        first = pdq_of_pixels(pixels, dihedral=True)
        if not reduced:
            return PdqOutcome(first, PdqSource.REFERENCE, self._decide(first, None))
        if first.quality < policy.min_quality - policy.quality_margin:
            return PdqOutcome(first, PdqSource.FAST)
        candidates = self._candidates(first, policy.margin)
        if not candidates:
            return PdqOutcome(first, PdqSource.FAST)
        with opener() as handle:
            pixels, _ = decode_rgb(handle)
        reference = pdq_of_pixels(pixels, dihedral=True)
        return PdqOutcome(
            reference, PdqSource.REFERENCE, self._decide(reference, candidates)
        )

    def _variants(self, result: PdqResult) -> np.ndarray:
        assert result.dihedral is not None
        count = len(VARIANTS) if self._policy.rotations else 1
        return as_words(result.dihedral[: 32 * count])

    def _candidates(self, result: PdqResult, margin: int) -> list[_Candidate]:
        """Entries within each list's threshold + ``margin`` of any variant."""
        queries = self._variants(result)
        found: list[_Candidate] = []
        for index in self._lists:
            assert index.pdq is not None
            _, rows, _ = index.pdq.search_arrays(queries, index.pdq_threshold + margin)
            for row in sorted(set(rows.tolist())):
                seq = int(index.pdq.ids_at(row))
                if index.alerts_on(seq):
                    found.append(_Candidate(index, seq, row))
        return found

    def _decide(
        self, result: PdqResult, candidates: list[_Candidate] | None
    ) -> list[PdqMatch]:
        """Matches of the reference hash: over candidates, or searching every list."""
        if result.quality < self._policy.min_quality:
            return []
        if candidates is None:
            candidates = self._candidates(result, 0)
        queries = self._variants(result)
        matches = []
        for candidate in candidates:
            assert candidate.list_index.pdq is not None
            entry = candidate.list_index.pdq.hashes_at(np.array([candidate.row]))
            distances = popcount_distances(queries, np.repeat(entry, len(queries), 0))
            best = int(np.argmin(distances))  # ties keep the lower variant (original)
            if int(distances[best]) <= candidate.list_index.pdq_threshold:
                matches.append(
                    PdqMatch(
                        candidate.list_index.version_id,
                        candidate.seq,
                        int(distances[best]),
                        VARIANTS[best],
                    )
                )
        return matches
