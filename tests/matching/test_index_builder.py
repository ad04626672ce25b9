"""The list index builder: spooled to disk in buckets, equal to sorting in memory."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from kavach.matching import index_builder
from kavach.matching.exact_index import ExactIndex
from kavach.matching.index_builder import ListIndexBuilder
from kavach.vocabulary import EXACT_ALGORITHMS, HEX_LENGTHS, Algorithm, Status


def _entries(count: int) -> list[dict[Algorithm, str]]:
    rng = random.Random(7)
    entries = []
    for _ in range(count):
        entry = {
            alg: "".join(
                rng.choice("0123456789abcdef") for _ in range(HEX_LENGTHS[alg])
            )
            for alg in EXACT_ALGORITHMS
            if rng.random() < 0.8
        }
        entries.append(entry)
    entries += entries[:50]  # the same digests under other entry numbers
    return entries


def _build(
    folder: Path, spool: Path | None, entries: list[dict[Algorithm, str]]
) -> None:
    builder = ListIndexBuilder(80, spool)
    for seq, entry in enumerate(entries):
        builder.add(seq, entry, None, Status.ALERT)
    builder.write(folder)


def test_spooled_build_equals_the_in_memory_sort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_builder, "SPILL_BYTES", 2048)  # spill very often
    entries = _entries(3000)
    spool = tmp_path / "indexes"
    spool.mkdir()
    _build(tmp_path / "memory", None, entries)
    _build(tmp_path / "spooled", spool, entries)
    assert list(spool.iterdir()) == []  # the spool is gone once written
    for alg in EXACT_ALGORITHMS:
        keys = [
            (bytes.fromhex(e[alg]), seq) for seq, e in enumerate(entries) if alg in e
        ]
        expected = sorted(keys)  # by digest, then entry number (a stable sort)
        for name in ("memory", "spooled"):
            words = np.load(tmp_path / name / f"{alg.value}.words.npy")
            ids = np.load(tmp_path / name / f"{alg.value}.ids.npy")
            assert ids.tolist() == [seq for _, seq in expected]
            first = [int.from_bytes(k[:8], "big") for k, _ in expected]
            assert words[0].tolist() == first
        index = ExactIndex.open(tmp_path / "spooled", alg)
        assert index is not None and len(index) == len(keys)


def test_a_failed_import_leaves_no_spool(tmp_path: Path) -> None:
    builder = ListIndexBuilder(80, tmp_path)
    builder.add(0, {Algorithm.MD5: "00" * 16}, None, Status.ALERT)
    assert len(list(tmp_path.iterdir())) == 1
    builder.discard()
    assert list(tmp_path.iterdir()) == []
