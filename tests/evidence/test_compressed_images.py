"""Compressed images read at random offsets equal the decompressed bytes."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import random
from collections.abc import Callable

import pytest

from kavach.evidence.sources import compressed
from kavach.evidence.sources.compressed import CompressedError, Decompressed

# Random bytes, a long run of zeros (as in a disk), random bytes again.
DATA = random.Random(5).randbytes(300_000) + bytes(2_000_000) + b"end" * 40_000
COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "xz": lzma.compress,
    "bzip2": bz2.compress,
}


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks and checkpoints small enough that every path is taken."""
    monkeypatch.setattr(compressed, "BLOCK", 1 << 16)
    monkeypatch.setattr(compressed, "CHECKPOINT", 4 << 16)
    monkeypatch.setattr(compressed, "CACHED_BLOCKS", 4)


@pytest.mark.parametrize("kind", sorted(COMPRESS))
def test_random_reads_equal_the_data_across_members(kind: str) -> None:
    # Two members (concatenated streams), as pigz and split tools write them.
    blob = COMPRESS[kind](DATA[:1_000_000]) + COMPRESS[kind](DATA[1_000_000:])
    data = Decompressed(lambda: io.BytesIO(blob), kind)
    assert data.size == len(DATA)
    rng = random.Random(kind)
    for _ in range(200):
        offset = rng.randrange(len(DATA))
        count = rng.randrange(1, 150_000)
        assert data.read(offset, count) == DATA[offset : offset + count]
    assert data.read(len(DATA) - 10, 100) == DATA[-10:]


@pytest.mark.parametrize("kind", sorted(COMPRESS))
def test_a_truncated_image_is_an_error_naming_where(kind: str) -> None:
    blob = COMPRESS[kind](DATA)[:-5000]
    with pytest.raises(CompressedError, match="ends early|damaged"):
        Decompressed(lambda: io.BytesIO(blob), kind)
