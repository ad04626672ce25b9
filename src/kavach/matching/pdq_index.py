"""PDQ index: exact Hamming range search by multi-index hashing (MIH).

A 256-bit hash is cut into ``m`` chunks. If two hashes differ in at most ``r`` bits,
then by the pigeonhole principle at least one chunk differs in at most ``r // m``
bits. So the search probes, in each chunk's table, every value within ``r // m``
bits of the query's chunk, and confirms each candidate with a full popcount.
Nothing within ``r`` is missed (recall 1.0) and nothing beyond it is returned.
Chunks are about log2(n) bits wide, so a probe finds about one entry that is not a
neighbour; queries are answered in batches (a picture's 8 dihedral variants at once).

Files (memory-mapped, written at import):
  pdq.hashes.npy   (n, 4) uint64, rows sorted by chunk 0
  pdq.ids.npy      (n,) uint32 entry numbers
  pdq.widths.npy   (m,) chunk widths in bits, summing to 256
  pdq.order.npy    (m - 1, n) uint32: rows sorted by chunks 1..m-1
  pdq.offsets.npy  every chunk's table: where each chunk value's rows start
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

HASH_BYTES = 32
MIN_CHUNK_BITS = 8
MAX_CHUNK_BITS = 22

Words = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class PdqCandidate:
    """Query ``query`` lies ``distance`` bits from the entry numbered ``entry``."""

    query: int
    entry: int
    distance: int
    row: int


def as_words(raw: bytes | bytearray) -> Words:
    """Concatenated 32-byte hashes as an (n, 4) array of 64-bit words."""
    return np.frombuffer(bytes(raw), dtype=np.uint64).reshape(-1, 4)


def layout(count: int) -> list[int]:
    """Chunk widths for ``count`` hashes: about log2(count) bits each."""
    bits = min(max(round(np.log2(max(count, 2))), MIN_CHUNK_BITS), MAX_CHUNK_BITS)
    chunks = -(-256 // bits)
    base, extra = divmod(256, chunks)
    return [base + 1] * extra + [base] * (chunks - extra)


def chunk_values(words: Words, offset: int, width: int) -> npt.NDArray[np.int64]:
    """Bits ``offset`` .. ``offset + width`` of each hash, as numbers."""
    word, shift = divmod(offset, 64)
    values = words[:, word] >> np.uint64(shift)
    if shift + width > 64:
        values = values | (words[:, word + 1] << np.uint64(64 - shift))
    return (values & np.uint64((1 << width) - 1)).astype(np.int64)


@cache
def probe_masks(width: int, flips: int) -> npt.NDArray[np.int64]:
    """Every ``width``-bit mask with at most ``flips`` bits set."""
    masks = [0]
    for count in range(1, flips + 1):
        for bits in itertools.combinations(range(width), count):
            masks.append(sum(1 << b for b in bits))
    return np.array(masks, dtype=np.int64)


def popcount_distances(a: Words, b: Words) -> npt.NDArray[np.int32]:
    distances: npt.NDArray[np.int32] = np.bitwise_count(a ^ b).sum(
        axis=1, dtype=np.int32
    )
    return distances


def _expand(
    starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """All positions start..start+length-1 of every range, concatenated."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shifts = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return shifts + np.arange(total, dtype=np.int64)


class PdqIndex:
    """PDQ hashes of one list version with their entry numbers, searchable by MIH."""

    def __init__(
        self,
        hashes: Words,
        ids: npt.NDArray[np.uint32],
        widths: npt.NDArray[np.int64],
        order: npt.NDArray[np.uint32],
        offsets: npt.NDArray[np.uint32],
    ) -> None:
        # Plain arrays over the same memory maps: indexing a np.memmap makes a
        # memmap object each time, a third of a thumbnail's search.
        self._hashes = np.asarray(hashes)
        self._ids = np.asarray(ids)
        self._widths = [int(w) for w in widths]
        self._order = np.asarray(order)
        self._offsets = np.asarray(offsets)
        self._bit_offsets = np.concatenate([[0], np.cumsum(self._widths)]).tolist()
        table_sizes = [(1 << w) + 1 for w in self._widths]
        self._table_starts = np.concatenate([[0], np.cumsum(table_sizes)]).tolist()

    def __len__(self) -> int:
        return int(self._hashes.shape[0])

    @property
    def nbytes(self) -> int:
        arrays = (self._hashes, self._ids, self._order, self._offsets)
        return int(sum(a.nbytes for a in arrays))

    @staticmethod
    def build(
        directory: Path,
        hashes: bytes | bytearray,
        ids: npt.NDArray[np.int64],
        prefix: str = "pdq",
    ) -> None:
        words = as_words(hashes)
        if words.shape[0] != ids.shape[0]:
            raise ValueError("one entry number per hash is needed")
        widths = layout(words.shape[0])
        first = np.argsort(chunk_values(words, 0, widths[0]), kind="stable")
        words = np.ascontiguousarray(words[first])
        order = np.empty((len(widths) - 1, words.shape[0]), dtype=np.uint32)
        tables = []
        offset = 0
        for chunk, width in enumerate(widths):
            column = chunk_values(words, offset, width)
            counts = np.bincount(column, minlength=1 << width)
            tables.append(np.concatenate([[0], np.cumsum(counts)]).astype(np.uint32))
            if chunk:
                order[chunk - 1] = np.argsort(column, kind="stable")
            offset += width
        np.save(directory / f"{prefix}.hashes.npy", words)
        np.save(directory / f"{prefix}.ids.npy", ids[first].astype(np.uint32))
        np.save(directory / f"{prefix}.widths.npy", np.array(widths, dtype=np.int64))
        np.save(directory / f"{prefix}.order.npy", order)
        np.save(directory / f"{prefix}.offsets.npy", np.concatenate(tables))

    @classmethod
    def open(cls, directory: Path, prefix: str = "pdq") -> PdqIndex | None:
        path = directory / f"{prefix}.hashes.npy"
        if not path.exists():
            return None
        return cls(
            *(
                np.load(directory / f"{prefix}.{name}.npy", mmap_mode="r")
                for name in ("hashes", "ids", "widths", "order", "offsets")
            )
        )

    def rows_per_entry(self) -> npt.NDArray[np.int64]:
        """How many hashes each entry number holds (a video: its usable frames)."""
        counts: npt.NDArray[np.int64] = np.bincount(np.asarray(self._ids))
        return counts

    def ids_of(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return np.asarray(self._ids[rows]).astype(np.int64)

    def ids_at(self, row: int) -> int:
        return int(self._ids[row])

    def hashes_at(self, rows: npt.NDArray[np.int64]) -> Words:
        return np.asarray(self._hashes[rows])

    def search(self, queries: Words, threshold: int) -> list[PdqCandidate]:
        """Every (query, entry) pair at Hamming distance <= ``threshold``."""
        query_idx, rows, distances = self.search_arrays(queries, threshold)
        ids = self._ids[rows]
        return [
            PdqCandidate(int(q), int(e), int(d), int(r))
            for q, e, d, r in zip(query_idx, ids, distances, rows, strict=True)
        ]

    def search_arrays(
        self, queries: Words, threshold: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """(query index, row, distance) of every pair within ``threshold``."""
        queries = np.ascontiguousarray(queries, dtype=np.uint64)
        if len(self) == 0 or queries.shape[0] == 0:
            return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int32))
        flips = threshold // len(self._widths)
        probes = sum(probe_masks(w, flips).size for w in self._widths)
        expected = probes * len(self) / (1 << min(self._widths))
        if expected >= len(self):
            query_idx, rows = self._all_pairs(
                queries.shape[0]
            )  # brute force is cheaper
        else:
            query_idx, rows = self._candidates(queries, flips)
        distances = popcount_distances(self._hashes[rows], queries[query_idx])
        keep = np.flatnonzero(distances <= threshold)
        # A near pair is usually reached through several chunks: report it once.
        _, first = np.unique(
            query_idx[keep] * len(self) + rows[keep], return_index=True
        )
        keep = keep[first]
        return query_idx[keep], rows[keep], distances[keep]

    def _all_pairs(
        self, count: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        n = len(self)
        return (
            np.repeat(np.arange(count, dtype=np.int64), n),
            np.tile(np.arange(n, dtype=np.int64), count),
        )

    def _candidates(
        self, queries: Words, flips: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(query, row) of every entry sharing a probed chunk value with a query.

        The probes of all chunks are looked up together: a picture's 8 variants
        against 16 chunks would otherwise cost some 150 small numpy calls.
        """
        count = queries.shape[0]
        probes, owners, chunks = [], [], []
        for chunk, width in enumerate(self._widths):
            masks = probe_masks(width, flips)
            values = chunk_values(queries, self._bit_offsets[chunk], width)
            probes.append(
                (values[:, None] ^ masks[None, :]).ravel() + self._table_starts[chunk]
            )
            owners.append(np.repeat(np.arange(count), masks.size))
            chunks.append(np.full(count * masks.size, chunk))
        probe = np.concatenate(probes)
        starts = self._offsets[probe].astype(np.int64)
        lengths = self._offsets[probe + 1].astype(np.int64) - starts
        positions = _expand(starts, lengths)
        found_queries = np.repeat(np.concatenate(owners), lengths)
        found_chunks = np.repeat(np.concatenate(chunks), lengths)
        # Chunk 0's table lists rows in storage order; the others through order.
        rows = positions.copy()
        later = np.flatnonzero(found_chunks)
        if later.size:
            rows[later] = self._order[found_chunks[later] - 1, positions[later]]
        return found_queries, rows
