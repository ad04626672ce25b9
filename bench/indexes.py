"""Benchmark 3: the exact-digest index and the PDQ index at national-list sizes.

Exact: MD5 indexes of 10 M and 100 M synthetic digests: build, open, batched
lookups/s (half the queries present), bytes per entry.
PDQ: 1 M and 10 M synthetic hashes, random and clustered, with planted near
neighbours: build, open, queries/s on one core, recall against brute force, index
bytes; against faiss ``IndexBinaryFlat`` range search (1 and 2 threads) and
``IndexBinaryMultiHash`` (16 x 16 bits, 1 flip: exact at 31) on the same queries.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np
from common import header, row, timed

from kavach.hashsets.model import Algorithm
from kavach.matching.exact_index import ExactIndex, to_words
from kavach.matching.pdq_index import PdqIndex

EXACT_SIZES = [
    int(x)
    for x in os.environ.get("BENCH_EXACT_SIZES", "10000000,100000000").split(",")
    if x
]
PDQ_SIZES = [
    int(x)
    for x in os.environ.get("BENCH_PDQ_SIZES", "1000000,10000000").split(",")
    if x
]
QUERIES = 1000


def exact(count: int) -> None:
    rng = np.random.default_rng(count)
    raw = rng.integers(0, 256, size=count * 16, dtype=np.uint8)
    with tempfile.TemporaryDirectory(dir=os.environ.get("KAVACH_BENCH_DIR")) as folder:
        with timed() as build:
            ExactIndex.build(
                Path(folder), Algorithm.MD5, raw.data, np.arange(count, dtype=np.int64)
            )
        with timed() as opening:
            index = ExactIndex.open(Path(folder), Algorithm.MD5)
        assert index is not None
        queries = rng.integers(0, 256, size=(1_000_000, 16), dtype=np.uint8)
        present = rng.integers(0, count, 500_000)
        queries[:500_000] = raw.reshape(count, 16)[present]
        del raw
        words = to_words(queries.tobytes(), 16)
        index.match_words(words[:, :1000])  # first touch of the pages
        with timed() as lookup:
            found, _ = index.match_words(words)
        assert len(set(found.tolist())) >= 500_000
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
    row(
        f"exact MD5 {count:,}: build / open",
        f"{build[0]:6.1f} s / {opening[0] * 1000:.1f} ms",
    )
    row(
        f"exact MD5 {count:,}: batched lookups",
        f"{1_000_000 / lookup[0] / 1e6:5.2f} M/s, {size / count:.1f} bytes/entry",
    )


def pdq_sets(count: int, clustered: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(count + clustered)
    words = rng.integers(0, 2**64, size=(count, 4), dtype=np.uint64)
    if clustered:
        # Groups of 20 near-duplicates: each member is its centre with 3-12 % of
        # the bits flipped (masks made by AND-ing 3 to 5 random words).
        centres = words[::20]
        words = np.repeat(centres, 20, axis=0)[:count]
        for group in np.array_split(np.arange(count), 3):
            mask = rng.integers(0, 2**64, size=(len(group), 4), dtype=np.uint64)
            for _ in range(2 + int(group[0] % 3)):
                mask &= rng.integers(0, 2**64, size=(len(group), 4), dtype=np.uint64)
            words[group] ^= mask
    hashes = words.view(np.uint8).reshape(count, 32)
    queries = hashes[rng.integers(0, count, QUERIES)].copy()
    bits = np.unpackbits(queries, axis=1)
    for row_bits in bits:  # planted neighbours from 0 to 40 bits away
        row_bits[rng.choice(256, rng.integers(0, 41), replace=False)] ^= 1
    return np.ascontiguousarray(hashes), np.packbits(bits, axis=1)


def pdq(count: int, clustered: bool) -> None:
    import faiss

    label = f"PDQ {count:,} {'clustered' if clustered else 'random'}"
    hashes, queries = pdq_sets(count, clustered)
    with tempfile.TemporaryDirectory(dir=os.environ.get("KAVACH_BENCH_DIR")) as folder:
        with timed() as build:
            PdqIndex.build(Path(folder), hashes.data, np.arange(count, dtype=np.int64))
        with timed() as load:
            index = PdqIndex.open(Path(folder))
            assert index is not None
            index.search_arrays(queries[:10].view(np.uint64), 31)
        memory = index.nbytes
        with timed() as search:
            found_q, rows, _ = index.search_arrays(queries.view(np.uint64), 31)
        ids = set(zip(found_q.tolist(), index._ids[rows].tolist(), strict=True))
    flat = faiss.IndexBinaryFlat(256)
    flat.add(hashes)
    timings = {}
    for threads in (1, 2):
        faiss.omp_set_num_threads(threads)
        with timed() as t:
            limits, _, labels = flat.range_search(queries, 32)  # < 32 means <= 31
        timings[threads] = t[0]
    truth = {
        (q, int(labels[i]))
        for q in range(QUERIES)
        for i in range(limits[q], limits[q + 1])
    }
    recall = len(ids & truth) / max(len(truth), 1)
    row(
        f"{label}: build / open+first query",
        f"{build[0]:6.1f} s / {load[0]:.2f} s, index {memory / 1e6:.0f} MB",
    )
    row(
        f"{label}: Kavach MIH, 1 core",
        f"{QUERIES / search[0]:8.0f} queries/s, recall {recall:.4f} "
        f"({len(truth)} pairs), exact {ids == truth}",
    )
    for threads, seconds in timings.items():
        row(
            f"{label}: faiss flat, {threads} thread(s)",
            f"{QUERIES / seconds:8.0f} queries/s (Kavach {seconds / search[0]:.1f}x)",
        )
    if count <= 1_000_000:  # MultiHash needs ~270 bytes an entry
        multi = faiss.IndexBinaryMultiHash(256, 16, 16)
        multi.nflip = 1
        multi.add(hashes)
        faiss.omp_set_num_threads(1)
        with timed() as t:
            multi.range_search(queries, 32)
        row(
            f"{label}: faiss MultiHash 16x16, 1 flip",
            f"{QUERIES / t[0]:8.0f} queries/s (Kavach {t[0] / search[0]:.1f}x)",
        )


def main() -> int:
    header("Indexes: exact digests and PDQ")
    for count in EXACT_SIZES:
        exact(count)
    for count in PDQ_SIZES:
        for clustered in (False, True):
            pdq(count, clustered)
    return 0


if __name__ == "__main__":
    sys.exit(main())
