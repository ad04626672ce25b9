"""Where and when a picture was taken, read from its own EXIF and XMP metadata.

JPEG, PNG, TIFF and WebP are read by walking their segments or chunks, never by
decoding pixels; MP4 / MOV live in ``capture_video``. ``CaptureError`` means the
metadata is there but unreadable (the scan records it as a warning and goes on);
a file without metadata, or of another kind, gives an empty ``CaptureInfo``.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import BinaryIO, NamedTuple

from kavach.evidence.capture_values import (
    CaptureError,
    CaptureInfo,
    Place,
    clean,
    guarded,
    merge,
    position,
)
from kavach.evidence.capture_video import video_capture as read_video
from kavach.evidence.capture_xmp import from_xmp

__all__ = ["CaptureError", "CaptureInfo", "picture_capture", "video_capture"]

MAX_EXIF = 4 * 1024**2
MAX_XMP = 1024**2
MAX_SEGMENTS = 100_000
_XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
_PNG_XMP = b"XML:com.adobe.xmp\x00"
_APP1 = ((b"EXIF", b"Exif\x00", 6), (b"XMP ", _XMP_ID, len(_XMP_ID)))


def picture_capture(stream: BinaryIO) -> CaptureInfo:
    """Camera, moment and place of a JPEG, PNG, TIFF or WebP; EXIF before XMP."""
    return guarded(_picture, stream, "picture")


def video_capture(stream: BinaryIO) -> CaptureInfo:
    """Camera, moment and place of an MP4 / MOV (see ``capture_video``)."""
    return read_video(stream)


# --- containers: each finds the EXIF (as a TIFF structure) and the XMP packet ---


def _picture(stream: BinaryIO) -> CaptureInfo:
    stream.seek(0)
    head = stream.read(12)
    tiff: _Tiff | None
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        tiff, xmp = _Tiff(stream, 0, stream.seek(0, io.SEEK_END)), None
    elif head.startswith(b"\xff\xd8\xff"):
        tiff, xmp = _collect(stream, _jpeg_segments(stream))
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        tiff, xmp = _collect(stream, _png_chunks(stream))
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        tiff, xmp = _collect(stream, _webp_chunks(stream))
    else:
        return CaptureInfo()
    exif = CaptureInfo()
    if tiff is not None:
        ifd0 = tiff.ifd(tiff.first)
        exif = _from_exif(tiff, ifd0)
        if xmp is None:  # TIFF files keep their XMP in IFD0 tag 700
            xmp = tiff.data(ifd0.get(700), MAX_XMP)
    return merge(exif, from_xmp(xmp) if xmp else CaptureInfo())


def _collect(stream: BinaryIO, found: _Found) -> tuple[_Tiff | None, bytes | None]:
    """The first EXIF block and XMP packet of those a container walk ``found``."""
    exif: bytes | None = None
    xmp: bytes | None = None
    for kind, length in found:
        if length > (MAX_EXIF if kind == b"EXIF" else MAX_XMP):
            raise CaptureError(f"{kind.decode()} of {length} bytes is over the cap")
        if kind == b"EXIF" and exif is None:
            exif = stream.read(length)
            exif = exif[6:] if exif.startswith(b"Exif\x00") else exif  # kept by some
        elif kind in (b"XMP ", b"iTXt") and xmp is None:
            xmp = stream.read(length)
            xmp = _itxt_text(xmp) if kind == b"iTXt" else xmp
    return (None if exif is None else _Tiff(io.BytesIO(exif), 0, len(exif))), xmp


def _jpeg_segments(stream: BinaryIO) -> Iterator[tuple[bytes, int]]:
    """EXIF and XMP APP1 segments before the image data, the stream at their body."""
    at = 2
    for _ in range(MAX_SEGMENTS):
        stream.seek(at)
        head = stream.read(4)
        if len(head) < 4 or head[0] != 0xFF or head[1] in (0xD9, 0xDA):
            return  # end of file, garbage, or the image data: no metadata follows
        if head[1] == 0xFF or 0xD0 <= head[1] <= 0xD7 or head[1] == 0x01:
            at += 1 if head[1] == 0xFF else 2  # fill byte, or a marker without length
            continue
        length = int.from_bytes(head[2:], "big") - 2
        if head[1] == 0xE1:
            sign = stream.read(len(_XMP_ID))
            for kind, prefix, skip in _APP1:
                if sign.startswith(prefix):
                    stream.seek(at + 4 + skip)
                    yield kind, max(length - skip, 0)
        at += 4 + length


def _png_chunks(stream: BinaryIO) -> Iterator[tuple[bytes, int]]:
    for kind, length in _chunks(stream, 8, ">I4s"):
        if kind == b"IEND":
            return
        if kind == b"eXIf":
            yield b"EXIF", length
        elif kind == b"iTXt" and stream.read(len(_PNG_XMP)) == _PNG_XMP:
            yield b"iTXt", max(length - len(_PNG_XMP), 0)


def _webp_chunks(stream: BinaryIO) -> Iterator[tuple[bytes, int]]:
    for kind, length in _chunks(stream, 12, "<4sI"):
        if kind in (b"EXIF", b"XMP "):
            yield kind, length


def _chunks(stream: BinaryIO, at: int, layout: str) -> Iterator[tuple[bytes, int]]:
    """(type, length) of each PNG or RIFF chunk from ``at``, the stream at its data."""
    png = layout == ">I4s"
    for _ in range(MAX_SEGMENTS):
        stream.seek(at)
        head = stream.read(8)
        if len(head) < 8:
            return
        first, second = struct.unpack(layout, head)
        kind, length = (second, first) if png else (first, second)
        yield kind, length
        at += 8 + length + (4 if png else length & 1)  # PNG's CRC; RIFF's pad byte


def _itxt_text(body: bytes) -> bytes:
    """The text of an iTXt chunk after its keyword, inflated when compressed."""
    compressed = body[:1] == b"\x01"
    _language, _, rest = body[2:].partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if not compressed:
        return text
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(text, MAX_XMP)
    except zlib.error as error:
        raise CaptureError(f"PNG XMP chunk does not inflate: {error}") from None
    if inflater.unconsumed_tail:
        raise CaptureError(f"PNG XMP chunk inflates past the {MAX_XMP}-byte cap")
    return out


# --- TIFF structure (EXIF is one): bounds-checked reads of the few tags we need ---

_SIZES = dict(zip(range(1, 14), (1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4), strict=True))
_INTS = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i", 13: "I"}


class _Entry(NamedTuple):
    kind: int
    items: int
    at: int  # where the value lies, inline values included


_Ifd = dict[int, _Entry]
_Found = Iterator[tuple[bytes, int]]  # (b"EXIF" / b"XMP " / b"iTXt", length)


class _Tiff:
    """A TIFF header and its IFDs, at ``base`` in ``stream`` and ``size`` bytes long."""

    def __init__(self, stream: BinaryIO, base: int, size: int) -> None:
        self._stream, self._base, self._size = stream, base, size
        head = self._read(0, 8)
        if head[:4] not in (b"II*\x00", b"MM\x00*"):
            raise CaptureError("EXIF block does not start with a TIFF header")
        self._order = "<" if head[:2] == b"II" else ">"
        self._entry = self._order + "HHII"
        self.first: int = self._unpack("I", 4)[0]

    def _read(self, at: int, length: int) -> bytes:
        if length > MAX_EXIF:
            raise CaptureError(f"EXIF value of {length} bytes is over the cap")
        if at < 0 or at + length > self._size:
            end, size = at + length, self._size
            raise CaptureError(f"EXIF cut short or corrupt: {at}..{end} is past {size}")
        self._stream.seek(self._base + at)
        data = self._stream.read(length)
        if len(data) < length:
            raise CaptureError(f"EXIF is cut short: the file ends inside it at {at}")
        return data

    def _unpack(self, fmt: str, at: int) -> tuple[int, ...]:
        fmt = self._order + fmt
        return struct.unpack(fmt, self._read(at, struct.calcsize(fmt)))

    def ifd(self, at: int) -> _Ifd:
        (count,) = self._unpack("H", at)
        table = self._read(at + 2, 12 * count)
        entries: dict[int, _Entry] = {}
        for index in range(count):
            tag, kind, n, value = struct.unpack_from(self._entry, table, 12 * index)
            if kind in _SIZES:
                inline = _SIZES[kind] * n <= 4
                entries.setdefault(
                    tag, _Entry(kind, n, at + 10 + 12 * index if inline else value)
                )
        return entries

    def sub_ifd(self, parent: _Ifd, tag: int) -> _Ifd:
        offsets = self.ints(parent.get(tag))
        return self.ifd(offsets[0]) if offsets and offsets[0] else {}

    def inner(self, entry: _Entry, skip: int) -> _Tiff:
        """The TIFF structure that starts ``skip`` bytes into a value (maker notes)."""
        if entry.items <= skip or entry.at + entry.items > self._size:
            raise CaptureError("maker note lies outside the EXIF block")
        return _Tiff(self._stream, self._base + entry.at + skip, entry.items - skip)

    def data(self, entry: _Entry | None, cap: int = MAX_EXIF) -> bytes | None:
        if entry is None or entry.kind not in (1, 2, 7):
            return None
        if entry.items > cap:
            raise CaptureError(f"EXIF value of {entry.items} bytes is over the cap")
        return self._read(entry.at, entry.items)

    def text(self, entry: _Entry | None) -> str | None:
        return clean(self.data(entry))

    def ints(self, entry: _Entry | None) -> tuple[int, ...]:
        if entry is None or entry.kind not in _INTS:
            return ()
        return self._unpack(f"{entry.items}{_INTS[entry.kind]}", entry.at)

    def rationals(self, entry: _Entry | None) -> list[tuple[int, int]]:
        if entry is None or entry.kind not in (5, 10):
            return []
        code = "I" if entry.kind == 5 else "i"
        numbers = self._unpack(f"{2 * entry.items}{code}", entry.at)
        return list(zip(numbers[::2], numbers[1::2], strict=True))


def _from_exif(tiff: _Tiff, ifd0: _Ifd) -> CaptureInfo:
    exif = tiff.sub_ifd(ifd0, 0x8769)
    make = tiff.text(ifd0.get(0x010F))
    serial = tiff.text(exif.get(0xA431)) or tiff.text(ifd0.get(0xC62F))  # DNG's tag
    if serial is None and 0x927C in exif:
        serial = _maker_serial(tiff, make or "", exif[0x927C])
    taken = _exif_moment(tiff.text(exif.get(0x9003)), tiff.text(exif.get(0x9011)))
    lat, lon = _exif_position(tiff, tiff.sub_ifd(ifd0, 0x8825))
    return CaptureInfo(make, tiff.text(ifd0.get(0x0110)), serial, taken, lat, lon)


def _maker_serial(tiff: _Tiff, make: str, note: _Entry) -> str | None:
    """Canon's or Nikon's serial number from the maker note, when it reads."""
    try:  # maker notes are often broken by editors; they never fail the file
        if make.lower().startswith("canon"):  # an IFD with offsets from the EXIF start
            number = tiff.ints(tiff.ifd(note.at).get(0x000C))
            return str(number[0]) if number else None
        head = tiff.data(_Entry(7, min(note.items, 10), note.at)) or b""
        if head.startswith(b"Nikon\x00\x02"):  # a TIFF of its own after 10 bytes
            inner = tiff.inner(note, 10)
            return inner.text(inner.ifd(inner.first).get(0x001D))
    except CaptureError:
        return None
    return None


def _exif_position(tiff: _Tiff, gps: _Ifd) -> Place:
    if not gps or (tiff.text(gps.get(9)) or "").upper().startswith("V"):
        return None, None  # no GPS, or the receiver marked the fix void
    lat = _degrees(tiff.rationals(gps.get(2)), tiff.text(gps.get(1)), "S")
    lon = _degrees(tiff.rationals(gps.get(4)), tiff.text(gps.get(3)), "W")
    return position(lat, lon, versioned=0 in gps)


def _degrees(parts: list[tuple[int, int]], ref: str | None, sign: str) -> float | None:
    if not parts or any(den == 0 for _, den in parts):
        return None
    value = sum(num / den / 60.0**index for index, (num, den) in enumerate(parts[:3]))
    return -abs(value) if (ref or "").upper().startswith(sign) else value


_EXIF_DATE = re.compile(r"(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")


def _exif_moment(text: str | None, offset: str | None) -> str | None:
    match = _EXIF_DATE.match(text or "")
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:  # "0000:00:00 00:00:00" and other impossible dates
        return None
    zone = _OFFSET.fullmatch(offset or "")
    if zone and int(zone[2]) < 24 and int(zone[3]) < 60:
        minutes = (int(zone[2]) * 60 + int(zone[3])) * (-1 if zone[1] == "-" else 1)
        moment = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    return moment.isoformat()
