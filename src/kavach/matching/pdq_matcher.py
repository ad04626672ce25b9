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
from dataclasses import dataclass, field, replace
from typing import BinaryIO

import numpy as np

from kavach.matching.list_index import ListIndex
from kavach.matching.pdq_index import as_words, popcount_distances
from kavach.perceptual.pdq import VARIANTS, PdqResult, decode_rgb, pdq_of_pixels
from kavach.perceptual.unletterbox import cut, find_borders
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
    # Also hash a picture with its uniform borders cut off (letterboxed copies).
    unletterbox: bool = True


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
        """Hash the picture ``opener`` opens and match it; ImageDecodeError if not.

        A picture with uniform borders is also hashed without them (unletterbox):
        its matches say so in their detail. The file keeps the whole picture's hash.
        """
        policy = self._policy
        with opener() as handle:
            pixels, reduced = decode_rgb(
                handle, policy.fast_min_side if policy.fast else 0
            )
        hashes = self._hashes(pixels)
        first = hashes[0][0]
        if not reduced:
            return PdqOutcome(first, PdqSource.REFERENCE, self._decide_all(hashes))
        if all(
            h.quality < policy.min_quality - policy.quality_margin for h, _ in hashes
        ):
            return PdqOutcome(first, PdqSource.FAST)
        if not any(self._candidates(h, policy.margin) for h, _ in hashes):
            return PdqOutcome(first, PdqSource.FAST)
        with opener() as handle:
            pixels, _ = decode_rgb(handle)
        hashes = self._hashes(pixels)
        return PdqOutcome(hashes[0][0], PdqSource.REFERENCE, self._decide_all(hashes))

    def _hashes(self, pixels: np.ndarray) -> list[tuple[PdqResult, str | None]]:
        """The whole picture's hash, then (if it has bars) the hash without them,
        each with what was done to the picture."""
        hashes: list[tuple[PdqResult, str | None]] = [
            (pdq_of_pixels(pixels, dihedral=True), None)
        ]
        if self._policy.unletterbox:
            borders = find_borders(pixels)
            if borders is not None:
                height, width = pixels.shape[:2]
                inner = pdq_of_pixels(cut(pixels, borders), dihedral=True)
                hashes.append((inner, borders.describe(width, height)))
        return hashes

    def _decide_all(self, hashes: list[tuple[PdqResult, str | None]]) -> list[PdqMatch]:
        """Each list entry matched by the whole picture or its crop, once: the
        whole picture's match when both match."""
        decided: dict[tuple[int, int], PdqMatch] = {}
        for result, how in hashes:
            for match in self._decide(result, None):
                key = (match.version_id, match.seq)
                if key not in decided:
                    decided[key] = replace(match, detail=how) if how else match
        return list(decided.values())

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
