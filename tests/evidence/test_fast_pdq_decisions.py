"""The fast PDQ path takes exactly the reference pipeline's match decisions."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageOps

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture
from kavach.evidence.scan_settings import ScanSettings
from kavach.perceptual.pdq import VARIANTS, pdq_of_stream
from tests.helpers.scanning import import_list, scan


def _photo(seed: int, size: tuple[int, int]) -> Image.Image:
    """Shapes with sensor-like noise, so JPEG decoders disagree as on real photos."""
    base = draw_picture(seed, (size[0] // 4, size[1] // 4)).resize(
        size, Image.Resampling.BICUBIC
    )
    noise = np.random.default_rng(seed).normal(0, 6, (size[1], size[0], 3))
    pixels = np.clip(np.asarray(base).astype(np.float64) + noise, 0, 255)
    return Image.fromarray(pixels.astype(np.uint8))


def _jpeg(image: Image.Image, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


EDITS: dict[str, Callable[[Image.Image], bytes]] = {
    "orig": lambda im: _jpeg(im),
    "small": lambda im: _jpeg(im.resize((im.width * 3 // 4, im.height * 3 // 4))),
    "q40": lambda im: _jpeg(im, 40),
    "rot90": lambda im: _jpeg(im.rotate(90, expand=True)),
    "mirror": lambda im: _jpeg(ImageOps.mirror(im)),
    "crop": lambda im: _jpeg(im.crop((60, 45, im.width - 60, im.height - 45))),
    "bright": lambda im: _jpeg(ImageEnhance.Brightness(im).enhance(1.3)),
    "png": lambda im: _png(im),
    # Full size, as a phone's screenshot: large enough to be hashed at half size.
    "screen": lambda im: _png(im, half=False),
}


PNGS = ("png", "screen")


def _png(image: Image.Image, half: bool = True) -> bytes:
    buffer = io.BytesIO()
    if half:
        image = image.resize((image.width // 2, image.height // 2))
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _flip_bits(hex_hash: str, count: int, rng: random.Random) -> str:
    value = int(hex_hash, 16)
    for bit in rng.sample(range(256), count):
        value ^= 1 << bit
    return f"{value:064x}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("fastpdq")
    root = base / "exhibit"
    root.mkdir()
    sizes = [(1600, 1200), (1280, 960), (3000, 2000), (900, 1400)]
    rng = random.Random(11)
    entries: list[str] = []
    for seed in range(10):
        picture = _photo(seed, sizes[seed % len(sizes)])
        for name, edit in EDITS.items():
            (
                root / f"p{seed:02d}_{name}.{'png' if name in PNGS else 'jpg'}"
            ).write_bytes(edit(picture))
        reference = pdq_of_stream(io.BytesIO(EDITS["orig"](picture))).hash
        if seed < 6:
            entries.append(reference)
        else:
            # Entries planted around the threshold of this picture's recompressed copy.
            copy = pdq_of_stream(io.BytesIO(EDITS["q40"](picture))).hash
            entries += [_flip_bits(copy, k, rng) for k in (27, 30, 31, 32, 34, 40)]
    listing = base / "unit-pdq.txt"
    listing.write_text("".join(f"pdq {e}\n" for e in entries))
    return root, listing


def _reference_decisions(root: Path, entries: list[str]) -> set[tuple[str, str, int]]:
    decisions = set()
    for path in sorted(root.iterdir()):
        with path.open("rb") as handle:
            result = pdq_of_stream(handle, dihedral=True)
        if result.quality < 50:
            continue
        assert result.dihedral is not None
        variants = [
            result.dihedral[i * 32 : (i + 1) * 32] for i in range(len(VARIANTS))
        ]
        for entry in entries:
            value = int(entry, 16)
            distance = min(
                (int.from_bytes(v, "big") ^ value).bit_count() for v in variants
            )
            if distance <= 31:
                decisions.add((path.name, entry, distance))
    return decisions


def _scan_decisions(
    app: Kavach, root: Path, settings: ScanSettings, workers: int
) -> tuple[set[tuple[str, str, int]], dict[str, str | None]]:
    scan_id = scan(app, root, workers=workers, settings=settings)
    hits = app.reports.hits(scan_id)
    sources = {f.path: f.pdq_source for f in app.reports.files(scan_id)}
    return {(h.path, h.entry_pdq or "", h.distance) for h in hits}, sources


@pytest.mark.slow
def test_fast_path_decisions_equal_the_reference(
    sqlite_app: Kavach, corpus: tuple[Path, Path]
) -> None:
    root, listing = corpus
    import_list(sqlite_app, listing, name="unit-pdq")
    entries = [line.split()[1] for line in listing.read_text().splitlines()]
    want = _reference_decisions(root, entries)
    assert len(want) >= 40  # originals, edits and the planted near-threshold entries
    assert {d for _, _, d in want} >= {27, 30, 31}

    fast, sources = _scan_decisions(sqlite_app, root, ScanSettings(), workers=2)
    assert fast == want
    assert "fast" in sources.values()  # the reduced decode really ran
    reference, sources = _scan_decisions(
        sqlite_app, root, replace(ScanSettings(), pdq_fast=False), workers=1
    )
    assert reference == want
    assert set(sources.values()) <= {"reference", None}
