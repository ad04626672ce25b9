"""What the capture readers share: the value they give, their error, and the
helpers that make a position, a text and a merged answer alike for every format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

Place = tuple[float | None, float | None]


@dataclass(frozen=True, slots=True)
class CaptureInfo:
    """What the file says about its camera, moment and place (None: it does not)."""

    camera_make: str | None = None
    camera_model: str | None = None
    camera_serial: str | None = None  # BodySerialNumber, DNG's, Canon/Nikon notes, XMP
    taken_at: str | None = None  # ISO 8601; with an offset only when the file has one
    gps_lat: float | None = None  # decimal degrees, WGS84, south negative
    gps_lon: float | None = None  # west negative

    def is_empty(self) -> bool:
        return self == CaptureInfo()


class CaptureError(ValueError):
    """Metadata present but unreadable; the message says what and why."""


Reader = Callable[[BinaryIO], CaptureInfo]


def guarded(read: Reader, stream: BinaryIO, what: str) -> CaptureInfo:
    try:
        return read(stream)
    except CaptureError:
        raise
    except Exception as error:  # hostile input must not crash a scan
        name = type(error).__name__
        raise CaptureError(f"unexpected {name} reading {what}: {error}") from error


def merge(exif: CaptureInfo, xmp: CaptureInfo) -> CaptureInfo:
    """EXIF where it speaks, XMP where it is silent; a position comes whole from one."""
    taken = exif.taken_at or xmp.taken_at
    if exif.taken_at and xmp.taken_at and xmp.taken_at.startswith(exif.taken_at):
        taken = xmp.taken_at  # the same moment, with the offset EXIF before 2.31 lacks
    place = exif if exif.gps_lat is not None else xmp
    return CaptureInfo(
        camera_make=exif.camera_make or xmp.camera_make,
        camera_model=exif.camera_model or xmp.camera_model,
        camera_serial=exif.camera_serial or xmp.camera_serial,
        taken_at=taken,
        gps_lat=place.gps_lat,
        gps_lon=place.gps_lon,
    )


def position(lat: float | None, lon: float | None, *, versioned: bool) -> Place:
    """A position on Earth rounded to 7 decimals, or none.

    0,0 is what many receivers write before a fix; it counts only when the file
    says it holds GPS data (``versioned``).
    """
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    if lat == 0 and lon == 0 and not versioned:
        return None, None
    return round(lat, 7), round(lon, 7)


def clean(raw: bytes | str | None) -> str | None:
    """Text without padding: cut at the first NUL inside, whitespace trimmed."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # EXIF "ASCII" is often Latin-1 in practice
            text = raw.decode("latin-1")
    text = text.strip("\x00 \t\r\n").split("\x00", 1)[0].strip()
    return text or None
