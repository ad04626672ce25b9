"""Letterboxed copies of listed pictures are hits: borders cut, the crop hashed.

PDQ is blind to borders (the bars move ~110 bits); the scan also hashes a picture
without its uniform bars, and the hit says so.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
from PIL import Image

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_pdq_list
from kavach.evidence.scan_settings import ScanSettings
from kavach.perceptual.pdq import decode_rgb, hamming, pdq_of_pixels, pdq_of_stream
from kavach.perceptual.unletterbox import find_borders
from tests.helpers.scanning import import_demo_lists, read_csv, scan


def _boxed(
    picture: Image.Image, pad: tuple[int, int], colour: tuple[int, ...]
) -> bytes:
    """``picture`` centred on bars ``pad`` (x, y) pixels wide on each side."""
    width, height = picture.size
    frame = Image.new("RGB", (width + 2 * pad[0], height + 2 * pad[1]), colour)
    frame.paste(picture, pad)
    return encode(frame)


def test_letterboxed_and_pillarboxed_copies_are_hits(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    first, second = draw_picture(811), draw_picture(812)
    listed_pictures = [encode(first), encode(second)]
    lists = tmp_path / "partner.pdq"
    write_pdq_list(lists, [listed(p) for p in listed_pictures])
    import_demo_lists(sqlite_app, DemoSet(exhibit=tmp_path, lists=[("p", lists)]))
    letterboxed = _boxed(first, (0, 180), (0, 0, 0))
    pillarboxed = _boxed(second, (150, 0), (250, 250, 250))
    # Without the crop these are far apart: the case the option exists for.
    for boxed, original in ((letterboxed, 0), (pillarboxed, 1)):
        whole = pdq_of_stream(io.BytesIO(boxed)).hash
        reference = pdq_of_stream(io.BytesIO(listed_pictures[original])).hash
        assert hamming(whole, reference) > 31
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    (exhibit / "letterboxed.jpg").write_bytes(letterboxed)
    (exhibit / "pillarboxed.jpg").write_bytes(pillarboxed)
    (exhibit / "same.jpg").write_bytes(listed_pictures[0])
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out)
    hits = {h["path"]: h for h in read_csv(out / "hits.csv")}
    assert set(hits) == {"letterboxed.jpg", "pillarboxed.jpg", "same.jpg"}
    assert {h["match_type"] for h in hits.values()} == {"perceptual"}
    # The bars as found (JPEG blurs their inner edge by a pixel or so).
    letter = _cuts(hits["letterboxed.jpg"]["detail"])
    assert 170 <= letter["top"] <= 180 and 165 <= letter["bottom"] <= 180
    assert letter["left"] == letter["right"] == 0
    pillar = _cuts(hits["pillarboxed.jpg"]["detail"])
    assert 140 <= pillar["left"] <= 150 and 140 <= pillar["right"] <= 150
    assert not hits["same.jpg"]["detail"]  # the whole picture matched: no crop
    assert int(hits["letterboxed.jpg"]["distance"]) <= 31
    report = (out / "report.html").read_text()
    assert "uniform borders removed" in report
    # Switched off (--no-unletterbox), the bars hide the copies again.
    off = tmp_path / "off"
    scan(sqlite_app, exhibit, off, settings=ScanSettings(unletterbox=False))
    assert {h["path"] for h in read_csv(off / "hits.csv")} == {"same.jpg"}


def _cuts(detail: str) -> dict[str, int]:
    assert detail.startswith("uniform borders removed before hashing"), detail
    return {k: int(v) for k, v in re.findall(r"(top|bottom|left|right) (\d+)", detail)}


def test_pictures_without_bars_are_left_whole() -> None:
    gradient = np.tile(np.arange(256, dtype=np.uint8), (200, 1))
    photo = np.stack([gradient, gradient[::-1], gradient], axis=2)
    assert find_borders(np.ascontiguousarray(photo)) is None
    blank = np.zeros((300, 300, 3), dtype=np.uint8)
    assert find_borders(blank) is None
    thin = np.array(draw_picture(5))
    thin[0, :] = 0  # a one-pixel line is no bar
    pixels, _ = decode_rgb(io.BytesIO(encode(Image.fromarray(thin))))
    borders = find_borders(pixels)
    assert borders is None or borders.top != 1
    assert pdq_of_pixels(pixels, False).quality > 0
