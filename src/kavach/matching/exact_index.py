"""Exact-digest index: sorted digests in a memory-mapped ``.npy`` with entry numbers.

Built once when a list is imported; a scan opens it read-only (the pages it touches
come from the page cache, so the list never has to sit whole in memory) and answers
a batch of lookups with two binary searches per digest.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from kavach.hashsets.model import HEX_LENGTHS, Algorithm


def _paths(directory: Path, algorithm: Algorithm) -> tuple[Path, Path]:
    return (
        directory / f"{algorithm.value}.keys.npy",
        directory / f"{algorithm.value}.ids.npy",
    )


def key_width(algorithm: Algorithm) -> int:
    """Bytes in one digest of ``algorithm``."""
    return HEX_LENGTHS[algorithm] // 2


class ExactIndex:
    """Digests of one algorithm from one list version, with their entry numbers."""

    def __init__(
        self, keys: npt.NDArray[np.bytes_], ids: npt.NDArray[np.int64]
    ) -> None:
        self._keys = keys
        self._ids = ids

    def __len__(self) -> int:
        return int(self._keys.shape[0])

    @staticmethod
    def build(
        directory: Path,
        algorithm: Algorithm,
        keys: bytes | bytearray,
        ids: npt.NDArray[np.int64],
    ) -> None:
        """Sort ``keys`` (concatenated raw digests) and write the index files."""
        width = key_width(algorithm)
        array = np.frombuffer(bytes(keys), dtype=f"S{width}")
        if array.shape[0] != ids.shape[0]:
            raise ValueError("one entry number per digest is needed")
        order = np.argsort(array, kind="stable")
        keys_path, ids_path = _paths(directory, algorithm)
        np.save(keys_path, array[order])
        np.save(ids_path, ids[order].astype(np.int64))

    @classmethod
    def open(cls, directory: Path, algorithm: Algorithm) -> ExactIndex | None:
        """The index of ``algorithm`` in ``directory``, or None if the list has none."""
        keys_path, ids_path = _paths(directory, algorithm)
        if not keys_path.exists():
            return None
        keys = np.load(keys_path, mmap_mode="r")
        ids = np.load(ids_path, mmap_mode="r")
        return cls(keys, ids)

    def lookup(self, digests: list[bytes]) -> list[list[int]]:
        """For each raw digest, the entry numbers that carry it (often none)."""
        if not digests or len(self) == 0:
            return [[] for _ in digests]
        queries = np.array(digests, dtype=self._keys.dtype)
        left = np.searchsorted(self._keys, queries, side="left")
        right = np.searchsorted(self._keys, queries, side="right")
        return [
            [int(i) for i in self._ids[lo:hi]] if hi > lo else []
            for lo, hi in zip(left.tolist(), right.tolist(), strict=True)
        ]
