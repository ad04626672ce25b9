"""The reduced decode of the fast PDQ path: which pictures it shrinks, and that a
shrunk picture still finds its listed copy, decided on the full-size hash."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from kavach.demo.draw import draw_picture
from kavach.hashsets.model import Role
from kavach.matching.list_index import ListIndex, write_statuses
from kavach.matching.pdq_index import PdqIndex
from kavach.matching.pdq_matcher import PdqMatcher, PdqPolicy
from kavach.perceptual.pdq import BOX_MIN_SIDE, decode_rgb, pdq_of_stream
from kavach.vocabulary import PdqSource


def _encoded(size: tuple[int, int], fmt: str, seed: int = 3) -> bytes:
    picture = draw_picture(seed, (size[0] // 4, size[1] // 4)).resize(
        size, Image.Resampling.BICUBIC
    )
    noise = np.random.default_rng(seed).normal(0, 5, (size[1], size[0], 3))
    pixels = np.clip(np.asarray(picture, dtype=np.float64) + noise, 0, 255)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, fmt)
    return buffer.getvalue()


def test_a_screenshot_sized_png_is_averaged_down_and_a_smaller_one_is_not() -> None:
    big = _encoded((2 * BOX_MIN_SIDE, 2400), "PNG")
    pixels, reduced = decode_rgb(io.BytesIO(big), 360)
    assert reduced and pixels.shape == (1200, BOX_MIN_SIDE, 3)

    small = _encoded((2 * BOX_MIN_SIDE - 2, 2400), "PNG")
    pixels, reduced = decode_rgb(io.BytesIO(small), 360)
    assert not reduced and pixels.shape == (2400, 2 * BOX_MIN_SIDE - 2, 3)

    pixels, reduced = decode_rgb(io.BytesIO(big))  # the reference way: whole
    assert not reduced and pixels.shape == (2400, 2 * BOX_MIN_SIDE, 3)


def test_a_jpeg_keeps_its_scaled_decode() -> None:
    pixels, reduced = decode_rgb(io.BytesIO(_encoded((1280, 960), "JPEG")), 360)
    assert reduced and pixels.shape == (480, 640, 3)


def _index(directory: Path, hashes: list[str]) -> ListIndex:
    rng = np.random.default_rng(5)
    raw = [bytes.fromhex(h) for h in hashes]
    raw += [rng.integers(0, 256, 32, dtype=np.uint8).tobytes() for _ in range(2000)]
    PdqIndex.build(directory, b"".join(raw), np.arange(len(raw), dtype=np.int64))
    write_statuses(directory, np.zeros(len(raw), dtype=np.uint8))
    return ListIndex.open(directory, 1, "unit", Role.ALERT, 31)


def test_a_listed_screenshot_is_decided_on_its_full_size_hash(tmp_path: Path) -> None:
    listed = _encoded((1200, 2600), "PNG", seed=8)
    other = _encoded((1200, 2600), "PNG", seed=9)
    reference = pdq_of_stream(io.BytesIO(listed)).hash
    matcher = PdqMatcher([_index(tmp_path, [reference])], PdqPolicy())

    hit = matcher.examine(lambda: io.BytesIO(listed))
    assert hit.source is PdqSource.REFERENCE and hit.result.hash == reference
    assert [(m.seq, m.distance) for m in hit.matches] == [(0, 0)]

    miss = matcher.examine(lambda: io.BytesIO(other))
    assert miss.source is PdqSource.FAST and miss.matches == []
