"""Where and when an MP4 / MOV (ISO BMFF, QuickTime) was recorded, from its moov box.

Boxes are walked by seeking, so a video of any size costs a few small reads: the
movie header (mvhd), the user data (udta: ``©xyz``, ``©mak``, ``©mod``, 3GPP
``loci``) and the metadata item lists (meta: iTunes ilst, Apple mdta keys). Only
fixed paths are followed, so deep nesting cannot recurse; each box read into
memory is capped at ``MAX_BOX``.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import BinaryIO, NamedTuple

from kavach.evidence.capture_values import (
    CaptureError,
    CaptureInfo,
    Place,
    clean,
    guarded,
    position,
)

MAX_BOX = 16 * 1024**2
MAX_BOXES = 100_000
_EPOCH = datetime(1904, 1, 1, tzinfo=UTC)
_FIRST = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid"}
_NAMES = {  # item or key name -> what it tells
    b"\xa9xyz": "location",
    b"\xa9mak": "make",
    b"\xa9mod": "model",
    b"com.apple.quicktime.location.ISO6709": "location",
    b"com.apple.quicktime.make": "make",
    b"com.apple.quicktime.model": "model",
    b"com.apple.quicktime.creationdate": "date",
}
_ISO6709 = re.compile(r"([+-][0-9]+(?:\.[0-9]*)?)([+-][0-9]+(?:\.[0-9]*)?)")


class _Box(NamedTuple):
    kind: bytes
    start: int  # first byte after the header
    end: int


def video_capture(stream: BinaryIO) -> CaptureInfo:
    """Camera, moment (UTC) and place of an MP4 / MOV; other files give nothing."""
    return guarded(_video, stream, "video")


def _video(stream: BinaryIO) -> CaptureInfo:
    end = stream.seek(0, 2)
    stream.seek(0)
    if stream.read(8)[4:] not in _FIRST:
        return CaptureInfo()  # not ISO BMFF
    for box in _boxes(stream, 0, end):
        if box.kind == b"moov":
            return _moov(stream, box)
    return CaptureInfo()


def _boxes(stream: BinaryIO, start: int, end: int) -> Iterator[_Box]:
    """The boxes between ``start`` and ``end``; a size that does not fit raises."""
    at = start
    for _ in range(MAX_BOXES):
        if end - at < 8:  # QuickTime ends some lists with a 4-byte zero
            return
        stream.seek(at)
        size, kind = struct.unpack(">I4s", _exact(stream, 8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", _exact(stream, 8))
            header = 16
        elif size == 0:  # the box runs to the end of its parent
            size = end - at
        if size < header or at + size > end:
            name = kind.decode("latin-1")
            raise CaptureError(
                f"box {name!r} at byte {at} claims {size} bytes; {end - at} are left"
            )
        yield _Box(kind, at + header, at + size)
        at += size
    raise CaptureError(f"more than {MAX_BOXES} boxes side by side at byte {start}")


def _exact(stream: BinaryIO, length: int) -> bytes:
    data = stream.read(length)
    if len(data) < length:
        raise CaptureError("video is cut short inside a box header")
    return data


def _payload(stream: BinaryIO, box: _Box) -> bytes:
    length = box.end - box.start
    if length > MAX_BOX:
        name = box.kind.decode("latin-1")
        raise CaptureError(f"box {name!r} of {length} bytes is over the cap")
    stream.seek(box.start)
    return _exact(stream, length)


def _moov(stream: BinaryIO, moov: _Box) -> CaptureInfo:
    created: str | None = None
    user: dict[str, str] = {}  # udta's QuickTime text and 3GPP items
    keyed: dict[str, str] = {}  # meta item lists, Apple's keys among them
    for box in _boxes(stream, moov.start, moov.end):
        if box.kind == b"mvhd":
            created = _mvhd(_payload(stream, box))
        elif box.kind == b"meta":
            keyed = _meta(stream, box) | keyed
        elif box.kind == b"udta":
            for item in _boxes(stream, box.start, box.end):
                if item.kind == b"meta":
                    keyed = _meta(stream, item) | keyed
                elif item.kind == b"loci":
                    user.setdefault("location", _loci(_payload(stream, item)))
                elif item.kind in _NAMES:
                    text = _quicktime_text(_payload(stream, item))
                    if text:
                        user.setdefault(_NAMES[item.kind], text)
    tags = user | keyed
    lat, lon = _iso6709(tags.get("location", ""))
    return CaptureInfo(
        camera_make=clean(tags.get("make")),
        camera_model=clean(tags.get("model")),
        taken_at=_apple_date(tags.get("date")) or created,
        gps_lat=lat,
        gps_lon=lon,
    )


def _mvhd(payload: bytes) -> str | None:
    """creation_time: seconds since 1904 in UTC; 0 is "not set"."""
    version = payload[:1]
    layout = ">Q" if version == b"\x01" else ">I"
    if len(payload) < 4 + struct.calcsize(layout):
        raise CaptureError("mvhd box is cut short")
    (seconds,) = struct.unpack_from(layout, payload, 4)
    if seconds == 0:
        return None
    try:
        return _utc(_EPOCH + timedelta(seconds=seconds))
    except OverflowError:
        return None


def _meta(stream: BinaryIO, meta: _Box) -> dict[str, str]:
    """The wanted items of a meta box: keyed by name (iTunes) or by index (mdta)."""
    stream.seek(meta.start)
    # ISO and iTunes meta is a full box (4 zero bytes of version and flags);
    # Apple's QuickTime meta is not, and starts straight with a child's size.
    start = meta.start + 4 if stream.read(4) == b"\x00" * 4 else meta.start
    keys: list[bytes] = []
    found: dict[str, str] = {}
    for box in _boxes(stream, start, meta.end):
        if box.kind == b"keys":
            keys = _keys(_payload(stream, box))
        elif box.kind == b"ilst":
            for item in _boxes(stream, box.start, box.end):
                index = int.from_bytes(item.kind, "big")
                name = keys[index - 1] if 0 < index <= len(keys) else item.kind
                text = _data_text(_payload(stream, item)) if name in _NAMES else None
                if text:
                    found.setdefault(_NAMES[name], text)
    return found


def _keys(payload: bytes) -> list[bytes]:
    """The names in an mdta keys box, in order (ilst items count from 1)."""
    if len(payload) < 8:
        raise CaptureError("keys box is cut short")
    (count,) = struct.unpack_from(">I", payload, 4)
    names: list[bytes] = []
    at = 8
    for _ in range(count):
        if at + 8 > len(payload):
            raise CaptureError(f"keys box holds fewer than its {count} keys")
        (size,) = struct.unpack_from(">I", payload, at)
        if size < 8 or at + size > len(payload):
            raise CaptureError(f"key of {size} bytes does not fit its keys box")
        names.append(payload[at + 8 : at + size])  # after size and namespace
        at += size
    return names


def _data_text(payload: bytes) -> str | None:
    """The text of an item's data box (type 1: UTF-8), or None for other types."""
    if len(payload) < 16 or payload[4:8] != b"data":
        return None
    (size,) = struct.unpack_from(">I", payload)
    if payload[8:12] != b"\x00\x00\x00\x01":
        return None
    return clean(payload[16 : max(size, 16)])


def _quicktime_text(payload: bytes) -> str | None:
    """udta text: 2-byte length, 2-byte language, the text; or an iTunes data box."""
    if payload[4:8] == b"data":
        return _data_text(payload)
    if len(payload) < 4:
        return None
    (length,) = struct.unpack_from(">H", payload)
    return clean(payload[4 : 4 + length])


def _loci(payload: bytes) -> str:
    """3GPP location: name, role, then 16.16 fixed longitude, latitude, altitude.

    Given back as ISO 6709 text, the form the other location items use.
    """
    name_end = payload.find(b"\x00", 6)  # after version, flags and language
    at = name_end + 2  # the name's NUL, then the role byte
    if name_end < 0 or at + 8 > len(payload):
        raise CaptureError("loci box is cut short")
    lon, lat = struct.unpack_from(">ii", payload, at)
    return f"{lat / 65536:+.7f}{lon / 65536:+.7f}/"


def _iso6709(text: str) -> Place:
    """ISO 6709 "+DD.DDDD+DDD.DDDD/" (an altitude may follow); DDMM and DDMMSS too."""
    match = _ISO6709.match(text.strip())
    if match is None:
        return None, None
    lat, lon = _sexagesimal(match[1], 2), _sexagesimal(match[2], 3)
    return position(lat, lon, versioned=False)  # 0,0 is a phone without a fix


def _sexagesimal(field: str, degree_digits: int) -> float | None:
    whole = field[1:].split(".")[0]
    extra = max(len(whole) - degree_digits, 0)  # shorter: degrees without zeros
    number = float(field[1:])
    if extra == 0:
        value = number
    elif extra == 2:
        value = number // 100 + (number % 100) / 60
    elif extra == 4:
        value = number // 10000 + (number % 10000 // 100) / 60 + (number % 100) / 3600
    else:
        return None
    return -value if field[0] == "-" else value


def _apple_date(text: str | None) -> str | None:
    """com.apple.quicktime.creationdate ("2024-03-05T14:22:10+0530") in UTC."""
    if not text or "T" not in text:  # a bare date says nothing of the moment
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:  # no offset: the wall clock, as the file gives it
        return moment.replace(microsecond=0).isoformat()
    try:
        return _utc(moment)
    except OverflowError:
        return None


def _utc(moment: datetime) -> str:
    utc = moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return f"{utc.isoformat()}Z"
