"""PDQ hashes computed the way the reference does: full decode, RGB, no EXIF rotation.

``pdqhash`` wraps Meta's C++ reference. The 8 dihedral variants (rotations and flips)
come from the same DCT, so matching a rotated copy costs no second decode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image, UnidentifiedImageError

# The order pdqhash.compute_dihedral returns its hashes in.
VARIANTS = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flip-x",
    "flip-y",
    "flip-plus1",
    "flip-minus1",
)


class ImageDecodeError(Exception):
    """A picture that Pillow cannot decode (truncated, corrupt, unsupported)."""


@dataclass(frozen=True, slots=True)
class PdqResult:
    hash: str  # 64 lowercase hex digits
    quality: int
    dihedral: bytes | None = None  # 8 x 32 bytes in VARIANTS order


def _bits_to_bytes(bits: npt.NDArray[np.int64]) -> bytes:
    return np.packbits(bits.astype(np.uint8)).tobytes()


def decode_rgb(
    stream: BinaryIO, reduce_to: int = 0
) -> tuple[npt.NDArray[np.uint8], bool]:
    """The picture as an RGB array (first frame of animations), and whether reduced.

    With ``reduce_to`` > 0 a JPEG is decoded at 1/2, 1/4 or 1/8 size in the DCT
    domain (libjpeg's scaled decode) as long as its shorter side stays at least
    ``reduce_to`` pixels; another picture (a PNG screenshot, a WebP) whose shorter
    side is at least 2 x ``BOX_MIN_SIDE`` is decoded whole and averaged 2 x 2 down.
    Without ``reduce_to`` everything is decoded at full size, the reference way.
    """
    try:
        with Image.open(stream) as image:
            reduced = reduce_to > 0 and _draft(image, reduce_to)
            image.load()
            # An RGB picture needs no conversion; converting would only copy it.
            rgb = image if image.mode == "RGB" else image.convert("RGB")
            if reduce_to > 0 and not reduced and _boxed(image, reduce_to):
                rgb, reduced = rgb.reduce(2), True
            pixels = np.asarray(rgb)
    except Image.DecompressionBombError as exc:
        raise ImageDecodeError(f"decompression bomb: {exc}") from None
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError) as exc:
        raise ImageDecodeError(str(exc) or type(exc).__name__) from None
    return pixels, reduced


# A 2 x 2 average drifts the hash more than the DCT's scaled decode of a JPEG does:
# up to 18 bits at a 400-pixel side, at most 10 from 540 up (measured on 1080 x 2400
# to 1440 x 3200 drawn screenshots and photos; the search margin is 16).
# bench/phone_corpus.py prints the drift of each kind of picture it scans.
BOX_MIN_SIDE = 540


def _boxed(image: Image.Image, min_side: int) -> bool:
    """Whether a fully decoded picture is large enough to hash at half size."""
    return image.format != "JPEG" and min(image.size) // 2 >= max(
        min_side, BOX_MIN_SIDE
    )


def _draft(image: Image.Image, min_side: int) -> bool:
    if image.format != "JPEG":
        return False
    width, height = image.size
    for scale in (8, 4, 2):
        if min(width, height) // scale >= min_side:
            image.draft(
                image.mode if image.mode != "YCbCr" else "RGB",
                (width // scale, height // scale),
            )
            return True
    return False


def pdq_of_pixels(pixels: npt.NDArray[np.uint8], dihedral: bool) -> PdqResult:
    if dihedral:
        hashes, quality = pdqhash.compute_dihedral(pixels)
        raw = [_bits_to_bytes(h) for h in hashes]
        return PdqResult(raw[0].hex(), int(quality), b"".join(raw))
    bits, quality = pdqhash.compute(pixels)
    return PdqResult(_bits_to_bytes(bits).hex(), int(quality))


def pdq_of_stream(stream: BinaryIO, dihedral: bool = False) -> PdqResult:
    """The reference PDQ of the picture in ``stream``; ``ImageDecodeError`` if not."""
    pixels, _ = decode_rgb(stream)
    return pdq_of_pixels(pixels, dihedral)


def hamming(a: str, b: str) -> int:
    """Bits that differ between two PDQ hashes in hex."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
