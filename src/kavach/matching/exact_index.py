"""Exact-digest index: sorted digests as big-endian 64-bit words, memory-mapped.

Built once when a list is imported. A digest of B bytes is stored as ceil(B/8)
words (column-major, so the first words form one contiguous sorted array) plus a
32-bit entry number: 20 bytes an MD5, 28 a SHA-1, 36 a SHA-256. A scan opens the
files read-only; pages come from the page cache, so a list of 100 million entries
never has to sit whole in memory. Lookups are batched: the batch is sorted (so the
binary searches walk the array in order), then each hit on the first word is
confirmed against the remaining words.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kavach.vocabulary import HEX_LENGTHS, Algorithm

Words = npt.NDArray[np.uint64]


def key_width(algorithm: Algorithm) -> int:
    """Bytes in one digest of ``algorithm``."""
    return HEX_LENGTHS[algorithm] // 2


def to_words(raw: bytes | bytearray, width: int) -> Words:
    """``width``-byte digests as a (words, n) array of big-endian 64-bit numbers."""
    count = len(raw) // width
    padded_width = -(-width // 8) * 8
    buffer = np.zeros((count, padded_width), dtype=np.uint8)
    buffer[:, :width] = np.frombuffer(bytes(raw), dtype=np.uint8).reshape(count, width)
    words = buffer.view(">u8").astype(np.uint64)
    return np.ascontiguousarray(words.T)


def _join_npy(
    path: Path, dtype: type, shape: tuple[int, ...], pieces: list[Path]
) -> None:
    """A ``.npy`` file of ``shape`` whose C-ordered data is ``pieces`` end to end."""
    header = {"descr": np.dtype(dtype).str, "fortran_order": False, "shape": shape}
    with path.open("wb") as out:
        np.lib.format.write_array_header_1_0(out, header)
        for piece in pieces:
            if piece.exists():
                with piece.open("rb") as data:
                    shutil.copyfileobj(data, out, 1 << 20)


def _paths(directory: Path, algorithm: Algorithm) -> tuple[Path, Path]:
    return (
        directory / f"{algorithm.value}.words.npy",
        directory / f"{algorithm.value}.ids.npy",
    )


class ExactIndex:
    """Digests of one algorithm from one list version, with their entry numbers."""

    def __init__(self, words: Words, ids: npt.NDArray[np.uint32]) -> None:
        self._words = words
        self._ids = ids

    def __len__(self) -> int:
        return int(self._words.shape[1])

    @property
    def nbytes(self) -> int:
        return int(self._words.nbytes + self._ids.nbytes)

    @staticmethod
    def build(
        directory: Path,
        algorithm: Algorithm,
        keys: bytes | bytearray,
        ids: npt.NDArray[np.int64],
    ) -> None:
        """Sort ``keys`` (concatenated raw digests) and write the index files."""
        ExactIndex.build_in_parts(directory, algorithm, [(keys, ids)])

    @staticmethod
    def build_in_parts(
        directory: Path,
        algorithm: Algorithm,
        parts: Iterable[tuple[bytes | bytearray, npt.NDArray[np.int64]]],
    ) -> None:
        """Write the index from ``parts`` whose keys are in order between parts
        (every key of a part sorts before every key of the next; a list builder
        buckets digests by their first byte). Each part is sorted on its own, and
        only one is in memory at a time, so a list of any size is indexed in the
        memory of its largest part.
        """
        width = key_width(algorithm)
        words_path, ids_path = _paths(directory, algorithm)
        with tempfile.TemporaryDirectory(dir=directory) as scratch:
            rows = [Path(scratch, f"word{i}") for i in range(-(-width // 8))]
            ids_row = Path(scratch, "ids")
            total = 0
            for keys, ids in parts:
                words = to_words(keys, width)
                if words.shape[1] != ids.shape[0]:
                    raise ValueError("one entry number per digest is needed")
                if ids.size and int(ids.max()) >= 2**32:
                    raise ValueError("a list version holds at most 2**32 entries")
                order = np.lexsort(words[::-1])  # first word most significant
                for row, path in zip(words, rows, strict=True):
                    with path.open("ab") as handle:
                        row[order].tofile(handle)
                with ids_row.open("ab") as handle:
                    ids[order].astype(np.uint32).tofile(handle)
                total += int(ids.shape[0])
            _join_npy(words_path, np.uint64, (len(rows), total), rows)
            _join_npy(ids_path, np.uint32, (total,), [ids_row])

    @classmethod
    def open(cls, directory: Path, algorithm: Algorithm) -> ExactIndex | None:
        """The index of ``algorithm`` in ``directory``, or None if the list has none."""
        words_path, ids_path = _paths(directory, algorithm)
        if not words_path.exists():
            return None
        return cls(np.load(words_path, mmap_mode="r"), np.load(ids_path, mmap_mode="r"))

    def match_words(
        self, queries: Words
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
        """All (query column, entry number) pairs whose digests are equal."""
        empty = (np.zeros(0, np.int64), np.zeros(0, np.uint32))
        if queries.shape[1] == 0 or len(self) == 0:
            return empty
        order = np.argsort(queries[0], kind="stable")
        first = queries[0][order]
        left = np.searchsorted(self._words[0], first, side="left")
        right = np.searchsorted(self._words[0], first, side="right")
        spans = right - left
        # Almost every hit is one row: confirm those with one vectorised compare.
        single = np.flatnonzero(spans == 1)
        rows = left[single]
        same = np.all(self._words[:, rows] == queries[:, order[single]], axis=0)
        query_hits = [order[single][same]]
        entry_hits = [self._ids[rows[same]]]
        # Several rows share the first word: duplicate digests, or a 64-bit collision.
        for position in np.flatnonzero(spans > 1).tolist():
            span = np.arange(int(left[position]), int(right[position]))
            query = int(order[position])
            equal = np.all(
                self._words[:, span] == queries[:, query : query + 1], axis=0
            )
            query_hits.append(np.full(int(equal.sum()), query, dtype=np.int64))
            entry_hits.append(self._ids[span[equal]])
        return (
            np.concatenate(query_hits).astype(np.int64),
            np.concatenate(entry_hits).astype(np.uint32),
        )

    def lookup(self, digests: list[bytes]) -> list[list[int]]:
        """For each raw digest, the entry numbers that carry it (often none)."""
        found: list[list[int]] = [[] for _ in digests]
        if not digests:
            return found
        queries = to_words(b"".join(digests), len(digests[0]))
        for query, entry in zip(*self.match_words(queries), strict=True):
            found[int(query)].append(int(entry))
        return found
