"""Benign synthetic pictures: seeded random shapes on a gradient, and their edits."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageOps


def draw_picture(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture of shapes that differs from other seeds' (PDQ ~128 bits apart)."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    top = tuple(rng.randrange(256) for _ in range(3))
    bottom = tuple(rng.randrange(256) for _ in range(3))
    pixels = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        pixels.line([(0, y), (width, y)], fill=colour)
    for _ in range(rng.randint(12, 20)):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1 = min(width, x0 + rng.randint(width // 10, width // 2))
        y1 = min(height, y0 + rng.randint(height // 10, height // 2))
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = rng.choice(("ellipse", "rectangle", "polygon"))
        if shape == "ellipse":
            pixels.ellipse([x0, y0, x1, y1], fill=colour)
        elif shape == "rectangle":
            pixels.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            points = [(rng.randrange(width), rng.randrange(height)) for _ in range(4)]
            pixels.polygon(points, fill=colour)
    return image


def encode(image: Image.Image, fmt: str = "JPEG", quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=quality)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


# Edits an offender's copy typically went through; each keeps PDQ well within 31.
EDITS = {
    "resized": lambda im: encode(im.resize((im.width // 2, im.height // 2))),
    "recompressed": lambda im: encode(im, quality=35),
    "rotated": lambda im: encode(im.rotate(90, expand=True)),
    "flipped": lambda im: encode(ImageOps.mirror(im)),
    "png": lambda im: encode(im, "PNG"),
    "grey": lambda im: encode(ImageOps.grayscale(im)),
}
