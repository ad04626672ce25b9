"""PDQ index: every 256-bit hash of a list version, searched by Hamming distance.

This first index is an exact brute-force scan with NumPy popcounts: it returns every
entry within the threshold (recall 1.0 by construction). The speed issue replaces
the search, not the file layout or the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

HASH_BYTES = 32


@dataclass(frozen=True, slots=True)
class PdqCandidate:
    """Query ``query`` lies ``distance`` bits from the entry numbered ``entry``."""

    query: int
    entry: int
    distance: int


def as_words(raw: bytes | bytearray) -> npt.NDArray[np.uint64]:
    """Concatenated 32-byte hashes as an (n, 4) array of 64-bit words."""
    return np.frombuffer(bytes(raw), dtype=np.uint64).reshape(-1, 4)


class PdqIndex:
    """PDQ hashes of one list version with their entry numbers."""

    def __init__(
        self, hashes: npt.NDArray[np.uint64], ids: npt.NDArray[np.int64]
    ) -> None:
        self._hashes = hashes
        self._ids = ids

    def __len__(self) -> int:
        return int(self._hashes.shape[0])

    @staticmethod
    def build(
        directory: Path, hashes: bytes | bytearray, ids: npt.NDArray[np.int64]
    ) -> None:
        words = as_words(hashes)
        if words.shape[0] != ids.shape[0]:
            raise ValueError("one entry number per hash is needed")
        np.save(directory / "pdq.hashes.npy", words)
        np.save(directory / "pdq.ids.npy", ids.astype(np.int64))

    @classmethod
    def open(cls, directory: Path) -> PdqIndex | None:
        path = directory / "pdq.hashes.npy"
        if not path.exists():
            return None
        return cls(
            np.load(path, mmap_mode="r"),
            np.load(directory / "pdq.ids.npy", mmap_mode="r"),
        )

    def search(
        self, queries: npt.NDArray[np.uint64], threshold: int
    ) -> list[PdqCandidate]:
        """Every (query, entry) pair at Hamming distance <= ``threshold``."""
        found: list[PdqCandidate] = []
        if len(self) == 0:
            return found
        for q, query in enumerate(queries):
            distances = np.bitwise_count(self._hashes ^ query).sum(
                axis=1, dtype=np.int32
            )
            for row in np.flatnonzero(distances <= threshold).tolist():
                found.append(PdqCandidate(q, int(self._ids[row]), int(distances[row])))
        return found
