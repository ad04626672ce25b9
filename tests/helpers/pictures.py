"""Drawn pictures (shapes only) carrying the EXIF a phone camera writes."""

from __future__ import annotations

import io

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from kavach.demo.draw import draw_picture

EXIF_IFD, GPS_IFD = 0x8769, 0x8825


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


def camera_picture(
    seed: int,
    make: str,
    model: str,
    serial: str,
    point: tuple[float, float] | None = None,
    taken: str = "2024:03:05 14:22:10",
) -> bytes:
    """A JPEG of shapes with the camera, its serial, the time (IST) and a GPS
    position in its EXIF, as a phone's camera app writes them."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = make, model
    sub = exif.get_ifd(EXIF_IFD)
    sub[0x9003], sub[0x9011], sub[0xA431] = taken, "+05:30", serial
    if point is not None:
        lat, lon = point
        gps = exif.get_ifd(GPS_IFD)
        gps.update({0: b"\x02\x02\x00\x00", 1: "N" if lat >= 0 else "S"})
        gps.update({2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)})
    out = io.BytesIO()
    draw_picture(seed, (160, 120)).save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()
