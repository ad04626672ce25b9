"""Uniform borders (letterboxing, pillarboxing, a frame) cut off a picture.

PDQ is blind to borders: a letterboxed copy of a listed picture lies ~140 bits from
it, ~16 once the bars are cut. Like python-threatexchange's unletterbox option, a
picture whose edges are uniform bars is hashed again without them; the match says
so. A bar is a run of edge rows (or columns) whose pixels all lie within
``TOLERANCE`` of the colour the bar starts with and stay within ``DRIFT`` of it on
average, so JPEG noise on a black bar does not hide it but a dark photograph's edge
or a smooth gradient is not taken for one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

TOLERANCE = 12  # per channel, out of 255: JPEG ringing stays inside it
DRIFT = 2  # a bar's lines keep its colour on average: a gradient is no bar
MIN_BAR = 4  # pixels: thinner "bars" are left (they barely move the hash)
MIN_KEPT = 0.25  # the picture kept must be at least this share of each side


@dataclass(frozen=True, slots=True)
class Borders:
    top: int
    bottom: int
    left: int
    right: int

    def describe(self, width: int, height: int) -> str:
        kept_w = width - self.left - self.right
        kept_h = height - self.top - self.bottom
        return (
            f"uniform borders removed before hashing (top {self.top}, bottom "
            f"{self.bottom}, left {self.left}, right {self.right} px; "
            f"{kept_w}x{kept_h} of {width}x{height})"
        )


def _bar(pixels: npt.NDArray[np.uint8], limit: int) -> int:
    """How many leading rows of ``pixels`` are one uniform colour (at most
    ``limit``). Looks at a few rows at a time: most pictures stop at the first."""
    colour = pixels[0, 0].astype(np.int16)
    count = 0
    step = 1
    while count < limit:
        rows = pixels[count : min(count + step, limit)].astype(np.int16)
        away = np.abs(rows - colour).reshape(len(rows), -1)
        inside = (away.max(axis=1) <= TOLERANCE) & (away.mean(axis=1) <= DRIFT)
        if not inside.all():
            return count + int(np.argmin(inside))
        count += len(rows)
        step = min(step * 4, 256)
    return count


def find_borders(pixels: npt.NDArray[np.uint8]) -> Borders | None:
    """The picture's uniform bars, or None when it has none worth cutting."""
    height, width = pixels.shape[:2]
    if height < 8 or width < 8:
        return None
    columns = pixels.transpose(1, 0, 2)
    top = _bar(pixels, height)
    if top == height:
        return None  # one colour throughout: nothing to find inside
    bottom = _bar(pixels[::-1], height - top)
    left = _bar(columns, width)
    right = _bar(columns[::-1], width - left)
    cuts = [c if c >= MIN_BAR else 0 for c in (top, bottom, left, right)]
    top, bottom, left, right = cuts
    if not any(cuts):
        return None
    if (height - top - bottom) < MIN_KEPT * height or (
        width - left - right
    ) < MIN_KEPT * width:
        return None  # a blank picture, or one that is mostly one colour
    return Borders(top, bottom, left, right)


def cut(pixels: npt.NDArray[np.uint8], borders: Borders) -> npt.NDArray[np.uint8]:
    height, width = pixels.shape[:2]
    return np.ascontiguousarray(
        pixels[
            borders.top : height - borders.bottom, borders.left : width - borders.right
        ]
    )
