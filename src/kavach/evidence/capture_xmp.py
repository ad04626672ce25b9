"""XMP packets (JPEG APP1, PNG iTXt): parsed without DTDs or entities, properties
read in attribute and element forms alike."""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from kavach.evidence.capture_values import CaptureError, CaptureInfo, clean, position

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


def from_xmp(packet: bytes) -> CaptureInfo:
    values = _xmp_values(packet)
    lat, lon = None, None
    if not values.get("exif:GPSStatus", "").upper().startswith("V"):
        lat, lon = position(
            _xmp_degrees(values.get("exif:GPSLatitude"), "S"),
            _xmp_degrees(values.get("exif:GPSLongitude"), "W"),
            versioned="exif:GPSVersionID" in values,
        )
    taken = _xmp_moment(values.get("exif:DateTimeOriginal"))
    return CaptureInfo(
        camera_make=clean(values.get("tiff:Make")),
        camera_model=clean(values.get("tiff:Model")),
        camera_serial=clean(values.get("exifEX:BodySerialNumber"))
        or clean(values.get("aux:SerialNumber")),
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
