"""Matching a batch of file records against every list version of a scan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kavach.hashsets.model import EXACT_ALGORITHMS, Algorithm
from kavach.matching.list_index import ListIndex
from kavach.matching.pdq_index import as_words
from kavach.perceptual.pdq import VARIANTS


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the matcher needs of a file: its digests and, for pictures, its PDQs."""

    md5: str
    sha1: str
    sha256: str
    pdq_quality: int | None
    dihedral: bytes | None  # 8 x 32-byte PDQ variants, original first


@dataclass(frozen=True, slots=True)
class Match:
    file: int  # position in the batch
    version_id: int
    seq: int
    algorithm: Algorithm
    match_type: str  # exact | perceptual
    distance: int
    variant: str | None


class Matcher:
    """Exact lookups on every digest, PDQ range queries on all 8 variants."""

    def __init__(
        self, lists: Sequence[ListIndex], min_quality: int, rotations: bool = True
    ) -> None:
        self._lists = list(lists)
        self._min_quality = min_quality
        self._rotations = rotations

    def match(self, batch: Sequence[Candidate]) -> list[Match]:
        found: dict[tuple[int, int, int], Match] = {}
        for index in self._lists:
            for match in self._exact(index, batch):
                found.setdefault((match.file, match.version_id, match.seq), match)
            for match in self._perceptual(index, batch):
                key = (match.file, match.version_id, match.seq)
                best = found.get(key)
                if best is None or (
                    best.match_type == "perceptual" and match.distance < best.distance
                ):
                    found[key] = match
        return sorted(found.values(), key=lambda m: (m.file, m.version_id, m.seq))

    def _exact(self, index: ListIndex, batch: Sequence[Candidate]) -> list[Match]:
        matches: list[Match] = []
        # Strongest digest first, so a file matched by SHA-256 reports SHA-256.
        for algorithm in EXACT_ALGORITHMS:
            exact = index.exact.get(algorithm)
            if exact is None:
                continue
            keys = [bytes.fromhex(getattr(c, algorithm.value)) for c in batch]
            for position, seqs in enumerate(exact.lookup(keys)):
                for seq in seqs:
                    if index.alerts_on(seq):
                        matches.append(
                            Match(
                                position,
                                index.version_id,
                                seq,
                                algorithm,
                                "exact",
                                0,
                                None,
                            )
                        )
        return matches

    def _perceptual(self, index: ListIndex, batch: Sequence[Candidate]) -> list[Match]:
        if index.pdq is None:
            return []
        owners: list[int] = []
        raw = bytearray()
        variants = len(VARIANTS) if self._rotations else 1
        for position, candidate in enumerate(batch):
            quality = candidate.pdq_quality
            if (
                candidate.dihedral is None
                or quality is None
                or quality < self._min_quality
            ):
                continue
            raw += candidate.dihedral[: 32 * variants]
            owners.append(position)
        if not owners:
            return []
        queries = as_words(raw)
        best: dict[tuple[int, int], Match] = {}
        for hit in index.pdq.search(queries, index.pdq_threshold):
            position = owners[hit.query // variants]
            variant = hit.query % variants
            if not index.alerts_on(hit.entry):
                continue
            key = (position, hit.entry)
            current = best.get(key)
            if current is None or hit.distance < current.distance:
                best[key] = Match(
                    position,
                    index.version_id,
                    hit.entry,
                    Algorithm.PDQ,
                    "perceptual",
                    hit.distance,
                    VARIANTS[variant],
                )
        return list(best.values())
