"""Indexes agree with brute force; dihedral variants find rotated and flipped copies."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kavach.hashsets.model import Algorithm
from kavach.matching.exact_index import ExactIndex
from kavach.matching.pdq_index import PdqIndex, as_words
from kavach.perceptual.pdq import VARIANTS, hamming, pdq_of_stream

digests = st.lists(st.binary(min_size=16, max_size=16), min_size=1, max_size=60)


@settings(max_examples=40, deadline=None)
@given(keys=digests, probes=digests)
def test_exact_index_equals_brute_force(
    tmp_path_factory: object, keys: list[bytes], probes: list[bytes]
) -> None:
    directory = Path(str(tmp_path_factory.mktemp("exact")))  # type: ignore[attr-defined]
    ids = np.arange(len(keys), dtype=np.int64)
    ExactIndex.build(directory, Algorithm.MD5, b"".join(keys), ids)
    index = ExactIndex.open(directory, Algorithm.MD5)
    assert index is not None
    queries = probes + keys[:5]
    got = [sorted(seqs) for seqs in index.lookup(queries)]
    want = [sorted(i for i, k in enumerate(keys) if k == q) for q in queries]
    assert got == want


def test_pdq_index_returns_every_entry_within_threshold(tmp_path: Path) -> None:
    rng = random.Random(5)
    base = [rng.getrandbits(256) for _ in range(300)]
    entries = list(base)
    for value in base[:50]:  # near neighbours at every distance up to 40
        flipped = value
        for bit in rng.sample(range(256), rng.randint(0, 40)):
            flipped ^= 1 << bit
        entries.append(flipped)
    raw = b"".join(v.to_bytes(32, "big") for v in entries)
    PdqIndex.build(tmp_path, raw, np.arange(len(entries), dtype=np.int64))
    index = PdqIndex.open(tmp_path)
    assert index is not None
    queries = base[:60]
    found = {
        (c.query, c.entry, c.distance)
        for c in index.search(
            as_words(b"".join(q.to_bytes(32, "big") for q in queries)), 31
        )
    }
    want = {
        (q, e, (queries[q] ^ entries[e]).bit_count())
        for q in range(len(queries))
        for e in range(len(entries))
        if (queries[q] ^ entries[e]).bit_count() <= 31
    }
    assert found == want


def test_dihedral_variants_match_rotated_and_flipped_copies(testdata: Path) -> None:
    folder = testdata / "pdq" / "images" / "dih"
    files = sorted(folder.iterdir())
    with (folder / "bridge-1-original.jpg").open("rb") as handle:
        original = pdq_of_stream(handle, dihedral=True)
    assert original.dihedral is not None
    variants = [original.dihedral[i * 32 : (i + 1) * 32].hex() for i in range(8)]
    for position, path in enumerate(files):
        with path.open("rb") as handle:
            copy = pdq_of_stream(handle).hash
        distances = [hamming(copy, v) for v in variants]
        assert min(distances) <= 31, path.name
        assert distances.index(min(distances)) == position, (path.name, VARIANTS)
        if position:
            assert hamming(copy, original.hash) > 31  # only the variants find it


def _planted(count: int, seed: int) -> tuple[list[int], list[int]]:
    rng = random.Random(seed)
    entries = [rng.getrandbits(256) for _ in range(count)]
    queries = []
    for value in entries[:40]:
        for distance in (0, 15, 31, 32, 40, 47, 51, 56, 70):
            flipped = value
            for bit in rng.sample(range(256), distance):
                flipped ^= 1 << bit
            queries.append(flipped)
    return entries, queries


def _words(values: list[int]) -> np.ndarray:
    return as_words(b"".join(v.to_bytes(32, "little") for v in values))


@pytest.mark.parametrize("count", [1, 50, 5000, 70_000])
@pytest.mark.parametrize("threshold", [0, 31, 47, 55])
def test_mih_recall_is_exact_at_every_radius(
    tmp_path: Path, count: int, threshold: int
) -> None:
    entries, queries = _planted(count, seed=count + threshold)
    PdqIndex.build(
        tmp_path, _words(entries).tobytes(), np.arange(count, dtype=np.int64)
    )
    index = PdqIndex.open(tmp_path)
    assert index is not None
    got = {
        (c.query, c.entry, c.distance) for c in index.search(_words(queries), threshold)
    }
    want = set()
    for q, query in enumerate(queries):
        for e, entry in enumerate(entries):
            distance = (query ^ entry).bit_count()
            if distance <= threshold:
                want.add((q, e, distance))
    assert got == want
