"""Benchmark 1: PDQ per core, Kavach's scan path vs the reference pipeline.

The reference is what ThreatExchange's Python tools do: Pillow full decode,
``convert("RGB")``, ``pdqhash.compute``. Kavach's path is ``PdqMatcher.examine``:
a reduced JPEG decode, the 8 dihedral hashes, a widened candidate search, and a
full-size reference re-hash of every candidate. Also printed: the drift between the
reduced and the full-size hashes (mean / max bits, over all 8 variants) and how many
match decisions differ from the reference pipeline's (must be 0).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from functools import partial
from pathlib import Path

import numpy as np
import pdqhash
from common import header, median_of, photo_jpeg, row
from PIL import Image

from kavach.hashsets.model import Role
from kavach.matching.list_index import ListIndex, write_statuses
from kavach.matching.pdq_index import PdqIndex
from kavach.matching.pdq_matcher import PdqMatcher, PdqPolicy
from kavach.perceptual.pdq import VARIANTS, decode_rgb, pdq_of_pixels

COUNTS = {
    (4000, 3000): int(os.environ.get("BENCH_PDQ_12MP", "8")),
    (1280, 960): int(os.environ.get("BENCH_PDQ_1MP", "30")),
}


def reference(data: bytes) -> str:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    bits, _ = pdqhash.compute(np.asarray(image))
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def build_list(directory: Path, pictures: list[bytes], every: int) -> ListIndex:
    """A PDQ list of 50,000 hashes holding one picture in ``every`` (0: none)."""
    rng = np.random.default_rng(3)
    listed = pictures[::every] if every else []
    hashes = [bytes.fromhex(reference(p)) for p in listed]
    hashes += [
        rng.integers(0, 256, 32, dtype=np.uint8).tobytes() for _ in range(50_000)
    ]
    PdqIndex.build(directory, b"".join(hashes), np.arange(len(hashes), dtype=np.int64))
    write_statuses(directory, np.zeros(len(hashes), dtype=np.uint8))
    return ListIndex.open(directory, 1, "bench", Role.ALERT, 31)


def reference_all(pictures: list[bytes]) -> list[str]:
    return [reference(p) for p in pictures]


def examine_all(matcher: PdqMatcher, pictures: list[bytes]) -> list[object]:
    return [matcher.examine(lambda p=p: io.BytesIO(p)) for p in pictures]


def decisions(matcher: PdqMatcher, data: bytes) -> set[tuple[int, int]]:
    outcome = matcher.examine(lambda: io.BytesIO(data))
    return {(m.seq, m.distance) for m in outcome.matches}


def drift(data: bytes, policy: PdqPolicy) -> list[int]:
    fast, reduced = decode_rgb(io.BytesIO(data), policy.fast_min_side)
    full, _ = decode_rgb(io.BytesIO(data))
    a = pdq_of_pixels(fast, True).dihedral or b""
    b = pdq_of_pixels(full, True).dihedral or b""
    return (
        [
            (
                int.from_bytes(a[i * 32 : (i + 1) * 32], "big")
                ^ int.from_bytes(b[i * 32 : (i + 1) * 32], "big")
            ).bit_count()
            for i in range(len(VARIANTS))
        ]
        if reduced
        else []
    )


def main() -> int:
    header("PDQ per core: Kavach scan path vs reference (pdqhash on a full decode)")
    policy = PdqPolicy()
    failed = False
    for size, count in COUNTS.items():
        pictures = [photo_jpeg(seed, size) for seed in range(count)]
        label = f"{size[0]}x{size[1]} ({size[0] * size[1] / 1e6:.0f} MP), {count} JPEGs"
        ref_time, _ = median_of(3, partial(reference_all, pictures))
        row(f"{label}: reference", f"{count / ref_time:7.1f} images/s")
        for every in (0, 8):
            with tempfile.TemporaryDirectory() as folder:
                index = build_list(Path(folder), pictures, every)
                fast = PdqMatcher([index], policy)
                slow = PdqMatcher([index], PdqPolicy(fast=False))
                fast_time, _ = median_of(3, partial(examine_all, fast, pictures))
                differ = sum(decisions(fast, p) != decisions(slow, p) for p in pictures)
                hits = sum(bool(decisions(fast, p)) for p in pictures)
            share = f"1 in {every} listed" if every else "none listed"
            row(
                f"  Kavach, {share}",
                f"{count / fast_time:7.1f} images/s "
                f"(ratio {ref_time / fast_time:.1f}x)",
            )
            row(
                "    decisions differing from the reference",
                f"{differ} of {count} ({hits} pictures matched)",
            )
            failed |= differ > 0
        drifts = [d for p in pictures for d in drift(p, policy)]
        if drifts:
            row(
                "  drift fast vs full (8 variants)",
                f"mean {np.mean(drifts):.1f}, max {max(drifts)} bits "
                f"(search margin {policy.margin})",
            )
            failed |= max(drifts) >= policy.margin
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
