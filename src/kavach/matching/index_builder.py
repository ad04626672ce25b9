"""Building a list version's index folder while its entries stream past.

The import service (``services/hashsets.py``) hands one of these to the importer,
which only knows the ``IndexBuilder`` port of ``hashsets/ports.py``: the list side
never needs to know how indexes are laid out.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kavach.matching.exact_index import ExactIndex
from kavach.matching.list_index import STATUS_CODES, write_statuses
from kavach.matching.pdq_index import PdqIndex
from kavach.vocabulary import EXACT_ALGORITHMS, Algorithm, Status


class ListIndexBuilder:
    """Collects digests compactly (bytes and int64 arrays), then writes the indexes."""

    def __init__(self, min_quality: int) -> None:
        self._min_quality = min_quality
        self._keys = {
            alg: bytearray()
            for alg in (*EXACT_ALGORITHMS, Algorithm.PDQ, Algorithm.VPDQ)
        }
        self._seqs = {alg: array("q") for alg in self._keys}
        self._statuses = bytearray()

    def add(
        self,
        seq: int,
        digests: dict[Algorithm, str],
        frames: Sequence[tuple[str, int, float]] | None,
        status: Status,
    ) -> None:
        """Entry ``seq`` (numbered from 0 in list order) with its digests."""
        self._statuses.append(STATUS_CODES[status])
        for algorithm, value in digests.items():
            self._keys[algorithm] += bytes.fromhex(value)
            self._seqs[algorithm].append(seq)
        # A video's frames: each distinct usable hash once, under the video's number.
        usable = {
            pdq for pdq, quality, _ in frames or () if quality >= self._min_quality
        }
        for pdq in sorted(usable):
            self._keys[Algorithm.VPDQ] += bytes.fromhex(pdq)
            self._seqs[Algorithm.VPDQ].append(seq)

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True)
        statuses = np.frombuffer(bytes(self._statuses), dtype=np.uint8)
        write_statuses(directory, statuses)
        for algorithm in EXACT_ALGORITHMS:
            if self._seqs[algorithm]:
                ExactIndex.build(
                    directory,
                    algorithm,
                    self._keys[algorithm],
                    np.frombuffer(self._seqs[algorithm], dtype=np.int64),
                )
        for algorithm in (Algorithm.PDQ, Algorithm.VPDQ):
            if self._seqs[algorithm]:
                PdqIndex.build(
                    directory,
                    self._keys[algorithm],
                    np.frombuffer(self._seqs[algorithm], dtype=np.int64),
                    prefix=algorithm.value,
                )
