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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import BinaryIO, NamedTuple
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

__all__ = ["CaptureError", "CaptureInfo", "picture_capture", "video_capture"]

MAX_EXIF = 4 * 1024**2
MAX_XMP = 1024**2
MAX_SEGMENTS = 100_000
_XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
_PNG_XMP = b"XML:com.adobe.xmp\x00"
_Reader = Callable[[BinaryIO], "CaptureInfo"]
_APP1 = ((b"EXIF", b"Exif\x00", 6), (b"XMP ", _XMP_ID, len(_XMP_ID)))


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


def picture_capture(stream: BinaryIO) -> CaptureInfo:
    """Camera, moment and place of a JPEG, PNG, TIFF or WebP; EXIF before XMP."""
    return _guarded(_picture, stream, "picture")


def video_capture(stream: BinaryIO) -> CaptureInfo:
    """Camera, moment and place of an MP4 / MOV (see ``capture_video``)."""
    # Imported here: the video module builds on this module's types and helpers.
    from kavach.evidence.capture_video import video_capture as read_video

    return read_video(stream)


def _guarded(read: _Reader, stream: BinaryIO, what: str) -> CaptureInfo:
    try:
        return read(stream)
    except CaptureError:
        raise
    except Exception as error:  # hostile input must not crash a scan
        name = type(error).__name__
        raise CaptureError(f"unexpected {name} reading {what}: {error}") from error


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
    return _merge(exif, _from_xmp(xmp) if xmp else CaptureInfo())


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
_Place = tuple[float | None, float | None]
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
        return _clean(self.data(entry))

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


def _exif_position(tiff: _Tiff, gps: _Ifd) -> _Place:
    if not gps or (tiff.text(gps.get(9)) or "").upper().startswith("V"):
        return None, None  # no GPS, or the receiver marked the fix void
    lat = _degrees(tiff.rationals(gps.get(2)), tiff.text(gps.get(1)), "S")
    lon = _degrees(tiff.rationals(gps.get(4)), tiff.text(gps.get(3)), "W")
    return _position(lat, lon, versioned=0 in gps)


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


# --- XMP: the packet parsed without DTDs, attribute and element forms alike ---

_EXIF_NS = "http://ns.adobe.com/exif/1.0/"
_WANTED = {  # the properties read: "{namespace}Name" -> "prefix:Name"
    f"{{{namespace}}}{name}": f"{prefix}:{name}"
    for prefix, namespace, names in (
        ("exif", _EXIF_NS, "GPSLatitude GPSLongitude GPSVersionID GPSStatus"),
        ("exif", _EXIF_NS, "DateTimeOriginal"),
        ("photoshop", "http://ns.adobe.com/photoshop/1.0/", "DateCreated"),
        ("tiff", "http://ns.adobe.com/tiff/1.0/", "Make Model"),
        ("exifEX", "http://cipa.jp/exif/1.0/", "BodySerialNumber"),
        ("aux", "http://ns.adobe.com/exif/1.0/aux/", "SerialNumber"),
    )
    for name in names.split()
}
_RDF_LI = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"
_XMP_DEGREES = re.compile(
    r"(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW])"
)


def _from_xmp(packet: bytes) -> CaptureInfo:
    values = _xmp_values(packet)
    lat, lon = None, None
    if not values.get("exif:GPSStatus", "").upper().startswith("V"):
        lat, lon = _position(
            _xmp_degrees(values.get("exif:GPSLatitude"), "S"),
            _xmp_degrees(values.get("exif:GPSLongitude"), "W"),
            versioned="exif:GPSVersionID" in values,
        )
    taken = _xmp_moment(values.get("exif:DateTimeOriginal"))
    return CaptureInfo(
        camera_make=_clean(values.get("tiff:Make")),
        camera_model=_clean(values.get("tiff:Model")),
        camera_serial=_clean(values.get("exifEX:BodySerialNumber"))
        or _clean(values.get("aux:SerialNumber")),
        taken_at=taken or _xmp_moment(values.get("photoshop:DateCreated")),
        gps_lat=lat,
        gps_lon=lon,
    )


def _xmp_values(packet: bytes) -> dict[str, str]:
    """The wanted properties by prefixed name; the first occurrence wins."""
    try:
        root: Element = fromstring(packet.strip(b"\x00 \t\r\n"), forbid_dtd=True)
    except DefusedXmlException as error:
        raise CaptureError(f"XMP packet refused (DTD or entity): {error!r}") from None
    except ParseError as error:
        raise CaptureError(f"XMP packet is not well-formed: {error}") from None
    found: dict[str, str] = {}
    for element in root.iter():
        for qualified, value in element.attrib.items():
            if qualified in _WANTED:
                found.setdefault(_WANTED[qualified], value)
        text = _element_text(element) if element.tag in _WANTED else None
        if text:
            found.setdefault(_WANTED[element.tag], text)
    return found


def _element_text(element: Element) -> str | None:
    # A value in an rdf:Seq or rdf:Alt lies in its first rdf:li.
    item = element.find(f".//{_RDF_LI}")
    return (element.text or "").strip() or (item.text if item is not None else None)


def _xmp_degrees(text: str | None, negative: str) -> float | None:
    """XMP GPSCoordinate: "DDD,MM.mmk" or "DDD,MM,SSk" (k the direction letter)."""
    match = _XMP_DEGREES.fullmatch((text or "").strip().upper())
    if match is None:
        return None
    minutes, seconds = float(match[2]), float(match[3] or 0)
    if minutes >= 60 or seconds >= 60:
        return None
    value = float(match[1]) + minutes / 60 + seconds / 3600
    return -value if match[4] == negative else value


def _xmp_moment(text: str | None) -> str | None:
    if not text or "T" not in text:  # a bare date says nothing of the moment
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(microsecond=0).isoformat()
    except ValueError:
        return None


# --- shared with capture_video ---


def _merge(exif: CaptureInfo, xmp: CaptureInfo) -> CaptureInfo:
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


def _position(lat: float | None, lon: float | None, *, versioned: bool) -> _Place:
    """A position on Earth rounded to 7 decimals, or none.

    0,0 is what many receivers write before a fix; it counts only when the file
    says it holds GPS data (``versioned``).
    """
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    if lat == 0 and lon == 0 and not versioned:
        return None, None
    return round(lat, 7), round(lon, 7)


def _clean(raw: bytes | str | None) -> str | None:
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
