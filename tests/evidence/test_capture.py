"""Camera, moment and place read back from pictures and videos the tests make.

Every picture is drawn here (a gradient and two shapes) and every video is a test
pattern; the three photographs in tests/data/exif are public benign samples (see its
README). Hostile files are built byte by byte.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, PngImagePlugin
from PIL.TiffImagePlugin import IFDRational

from kavach.evidence import capture
from kavach.evidence.capture import (
    CaptureError,
    CaptureInfo,
    picture_capture,
    video_capture,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "exif"
KOCHI = (9.9312, 76.2673)
EXIF_IFD, GPS_IFD = 0x8769, 0x8825


# --- pictures the tests draw ---


def drawn() -> Image.Image:
    """A 48x32 gradient with a circle and a bar: nothing but shapes."""
    image = Image.linear_gradient("L").resize((48, 32)).convert("RGB")
    pen = ImageDraw.Draw(image)
    pen.ellipse((4, 4, 20, 20), fill=(200, 40, 40))
    pen.rectangle((26, 8, 44, 14), fill=(40, 40, 200))
    return image


def dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


def kochi_exif(
    lat_ref: str = "N", lon_ref: str = "E", offset: str | None = "+05:30"
) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS 80D"
    sub = exif.get_ifd(EXIF_IFD)
    sub[0x9003] = "2024:03:05 14:22:10"
    sub[0xA431] = "032021001234"
    if offset is not None:
        sub[0x9011] = offset
    gps = exif.get_ifd(GPS_IFD)
    gps.update({0: b"\x02\x02\x00\x00", 1: lat_ref, 2: dms(KOCHI[0])})
    gps.update({3: lon_ref, 4: dms(KOCHI[1])})
    return exif


def saved(image: Image.Image, kind: str, **options: object) -> io.BytesIO:
    out = io.BytesIO()
    image.save(out, kind, **options)
    out.seek(0)
    return out


def exif_jpeg(exif: Image.Exif) -> bytes:
    return saved(drawn(), "JPEG", exif=exif).getvalue()


def with_app1(jpeg: bytes, body: bytes) -> io.BytesIO:
    """The JPEG with one more APP1 segment right after its SOI marker."""
    segment = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    return io.BytesIO(jpeg[:2] + segment + jpeg[2:])


def xmp_packet(description: str) -> bytes:
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about=''"
        " xmlns:exif='http://ns.adobe.com/exif/1.0/'"
        " xmlns:tiff='http://ns.adobe.com/tiff/1.0/'"
        " xmlns:aux='http://ns.adobe.com/exif/1.0/aux/'"
        " xmlns:exifEX='http://cipa.jp/exif/1.0/'"
        " xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
        f"{description}</rdf:Description></rdf:RDF></x:xmpmeta>"
        "<?xpacket end='w'?>"
    ).encode()


XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_ATTRIBUTES = xmp_packet(
    " tiff:Make='NIKON CORPORATION' tiff:Model='NIKON D750'"
    " aux:SerialNumber='6012345' exif:GPSVersionID='2.2.0.0'"
    " exif:GPSLatitude='10,0.95N' exif:GPSLongitude='76,20.508E'"
    " exif:DateTimeOriginal='2024-03-05T14:22:10.25+05:30'>"
)
XMP_ELEMENTS = xmp_packet(
    "><tiff:Make>Apple</tiff:Make>"
    "<tiff:Model><rdf:Alt><rdf:li xml:lang='x-default'>iPhone 12</rdf:li>"
    "</rdf:Alt></tiff:Model>"
    "<exifEX:BodySerialNumber>F17ABC</exifEX:BodySerialNumber>"
    "<exif:GPSLatitude>33,51,54S</exif:GPSLatitude>"
    "<exif:GPSLongitude>151,12,36E</exif:GPSLongitude>"
    "<photoshop:DateCreated>2023-12-31T23:59:59Z</photoshop:DateCreated>"
)


def read(data: bytes | io.BytesIO) -> CaptureInfo:
    stream = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    return picture_capture(stream)


def assert_kochi(info: CaptureInfo, sign: tuple[int, int] = (1, 1)) -> None:
    assert info.gps_lat == pytest.approx(sign[0] * KOCHI[0], abs=1e-4)
    assert info.gps_lon == pytest.approx(sign[1] * KOCHI[1], abs=1e-4)


def test_the_public_api_is_these_four_names() -> None:
    assert sorted(capture.__all__) == [
        "CaptureError",
        "CaptureInfo",
        "picture_capture",
        "video_capture",
    ]
    assert issubclass(CaptureError, ValueError)
    assert CaptureInfo().is_empty()
    assert not CaptureInfo(camera_make="Canon").is_empty()


def test_jpeg_exif_gives_camera_moment_with_offset_and_kochi() -> None:
    info = read(exif_jpeg(kochi_exif()))
    assert info.camera_make == "Canon"
    assert info.camera_model == "Canon EOS 80D"
    assert info.camera_serial == "032021001234"
    assert info.taken_at == "2024-03-05T14:22:10+05:30"
    assert_kochi(info)
    assert round(info.gps_lat or 0, 7) == info.gps_lat


def test_south_and_west_refs_make_the_position_negative() -> None:
    assert_kochi(read(exif_jpeg(kochi_exif("S", "W"))), sign=(-1, -1))


@pytest.mark.parametrize(
    ("offset", "taken"),
    [
        (None, "2024-03-05T14:22:10"),
        ("-03:00", "2024-03-05T14:22:10-03:00"),
        ("+5:30", "2024-03-05T14:22:10"),  # malformed offset: the date stays
        ("   ", "2024-03-05T14:22:10"),
    ],
)
def test_date_without_a_readable_offset_has_none(
    offset: str | None, taken: str
) -> None:
    assert read(exif_jpeg(kochi_exif(offset=offset))).taken_at == taken


@pytest.mark.parametrize("kind", ["PNG", "TIFF", "WEBP"])
def test_png_tiff_and_webp_exif_read_the_same(kind: str) -> None:
    exif = kochi_exif()
    if kind == "TIFF":  # Pillow's TIFF writer drops exif=; its sub-IFDs go as dicts
        info: dict[int, object] = dict(exif)
        info[EXIF_IFD], info[GPS_IFD] = (
            dict(exif.get_ifd(EXIF_IFD)),
            exif.get_ifd(GPS_IFD),
        )
        stream = saved(drawn(), kind, tiffinfo=info)
    else:
        stream = saved(drawn(), kind, exif=exif)
    result = picture_capture(stream)
    assert (result.camera_make, result.camera_serial) == ("Canon", "032021001234")
    assert result.taken_at == "2024-03-05T14:22:10+05:30"
    assert_kochi(result)


def test_jpeg_with_only_an_xmp_packet_in_attribute_form() -> None:
    plain = saved(drawn(), "JPEG").getvalue()
    info = read(with_app1(plain, XMP_ID + XMP_ATTRIBUTES))
    assert info == CaptureInfo(
        camera_make="NIKON CORPORATION",
        camera_model="NIKON D750",
        camera_serial="6012345",
        taken_at="2024-03-05T14:22:10+05:30",
        gps_lat=round(10 + 0.95 / 60, 7),
        gps_lon=round(76 + 20.508 / 60, 7),
    )


@pytest.mark.parametrize("compressed", [False, True])
def test_png_with_only_an_xmp_packet_in_element_form(compressed: bool) -> None:
    text = PngImagePlugin.PngInfo()
    text.add_itxt("XML:com.adobe.xmp", XMP_ELEMENTS.decode(), zip=compressed)
    info = picture_capture(saved(drawn(), "PNG", pnginfo=text))
    assert (info.camera_make, info.camera_model) == ("Apple", "iPhone 12")
    assert info.camera_serial == "F17ABC"
    assert info.taken_at == "2023-12-31T23:59:59+00:00"  # photoshop:DateCreated
    assert info.gps_lat == pytest.approx(-(33 + 51 / 60 + 54 / 3600))
    assert info.gps_lon == pytest.approx(151 + 12 / 60 + 36 / 3600)


def test_exif_wins_where_both_speak_and_xmp_fills_the_gaps() -> None:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif.get_ifd(EXIF_IFD)[0x9003] = "2024:03:05 14:22:10"
    info = read(with_app1(exif_jpeg(exif), XMP_ID + XMP_ATTRIBUTES))
    assert info.camera_make == "Canon"  # EXIF's, not the XMP's Nikon
    assert info.camera_model == "NIKON D750"
    assert info.camera_serial == "6012345"
    # The same wall-clock moment: the XMP copy lends its offset.
    assert info.taken_at == "2024-03-05T14:22:10+05:30"
    assert info.gps_lat == pytest.approx(10.0158333)


def test_a_different_xmp_moment_does_not_replace_the_exif_one() -> None:
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[0x9003] = "2024:01:01 08:00:00"
    info = read(with_app1(exif_jpeg(exif), XMP_ID + XMP_ATTRIBUTES))
    assert info.taken_at == "2024-01-01T08:00:00"


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "TIFF", "WEBP", "GIF", "BMP"])
def test_a_picture_without_metadata_is_empty(kind: str) -> None:
    assert picture_capture(saved(drawn(), kind)).is_empty()


@pytest.mark.parametrize("data", [b"", b"plain text, not a picture", b"\x00" * 64])
def test_other_files_are_empty(data: bytes) -> None:
    assert picture_capture(io.BytesIO(data)).is_empty()
    assert video_capture(io.BytesIO(data)).is_empty()


def test_padding_nuls_and_blanks_are_stripped() -> None:
    exif = Image.Exif()
    exif[0x010F] = "  SONY\x00\x00\x00 "
    exif[0x0110] = "ION230\x00F"
    exif.get_ifd(EXIF_IFD)[0xA431] = "    "
    info = read(exif_jpeg(exif))
    assert (info.camera_make, info.camera_model, info.camera_serial) == (
        "SONY",
        "ION230",
        None,
    )


@pytest.mark.parametrize(
    "date", ["0000:00:00 00:00:00", "    :  :     :  :  ", "", "2024:13:45 25:61:00"]
)
def test_empty_or_impossible_dates_are_none(date: str) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif.get_ifd(EXIF_IFD)[0x9003] = date
    info = read(exif_jpeg(exif))
    assert (info.camera_make, info.taken_at) == ("Canon", None)


def gps_jpeg(values: dict[int, object]) -> CaptureInfo:
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update(values)
    return read(exif_jpeg(exif))


def test_a_zero_denominator_gives_no_position() -> None:
    zero = (IFDRational(9, 0), IFDRational(55, 1), IFDRational(0, 1))
    info = gps_jpeg({0: b"\x02\x02\x00\x00", 1: "N", 2: zero, 3: "E", 4: dms(76.2)})
    assert (info.gps_lat, info.gps_lon) == (None, None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({1: "N", 2: dms(95.0), 3: "E", 4: dms(76.0)}, (None, None)),
        ({1: "N", 2: dms(9.0), 3: "E", 4: dms(181.0)}, (None, None)),
        ({1: "N", 2: dms(0.0), 3: "E", 4: dms(0.0)}, (None, None)),  # no version
        ({0: b"\x02\x02\x00\x00", 2: dms(0.0), 4: dms(0.0)}, (0.0, 0.0)),
        ({9: "V", 1: "N", 2: dms(9.5), 3: "E", 4: dms(76.5)}, (None, None)),
        ({9: "A", 1: "N", 2: dms(9.5), 3: "E", 4: dms(76.5)}, (9.5, 76.5)),
        ({1: "N", 2: dms(9.5)}, (None, None)),  # a latitude alone is no position
    ],
)
def test_positions_off_the_earth_void_or_unset_are_none(
    values: dict[int, object], expected: tuple[float | None, float | None]
) -> None:
    info = gps_jpeg(values)
    assert (info.gps_lat, info.gps_lon) == expected


def test_canon_serial_comes_from_the_maker_note() -> None:
    # Pillow writes big-endian ("MM") EXIF; the note is an IFD in the same order,
    # its SerialNumber (0x000C) a LONG held inline.
    note = struct.pack(">HHHII", 1, 0x000C, 4, 1, 560012345) + b"\x00" * 4
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif.get_ifd(EXIF_IFD)[0x927C] = note
    assert read(exif_jpeg(exif)).camera_serial == "560012345"


def test_nikon_serial_comes_from_the_maker_notes_own_tiff() -> None:
    serial = b"6012345\x00"
    ifd = struct.pack(">HHHII", 1, 0x001D, 2, len(serial), 26) + b"\x00" * 4
    note = b"Nikon\x00\x02\x10\x00\x00" + b"MM\x00*\x00\x00\x00\x08" + ifd + serial
    exif = Image.Exif()
    exif[0x010F] = "NIKON CORPORATION"
    exif.get_ifd(EXIF_IFD)[0x927C] = note
    assert read(exif_jpeg(exif)).camera_serial == "6012345"


def test_a_broken_maker_note_does_not_fail_the_file() -> None:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif.get_ifd(EXIF_IFD)[0x927C] = b"\xff\xff" + b"\x00" * 10
    assert read(exif_jpeg(exif)) == CaptureInfo(camera_make="Canon")


# --- public samples ---


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Canon_40D.jpg",
            CaptureInfo("Canon", "Canon EOS 40D", None, "2008-05-30T15:56:01"),
        ),
        (
            "Kodak_CX7530.jpg",
            CaptureInfo(
                "EASTMAN KODAK COMPANY",
                "KODAK CX7530 ZOOM DIGITAL CAMERA",
                None,
                "2005-08-13T09:47:23",
                -0.3713,
                36.0564167,
            ),
        ),
        (
            "Pentax_K10D.jpg",
            CaptureInfo(
                "PENTAX Corporation", "PENTAX K10D", None, "2008-05-04T16:47:24+09:00"
            ),
        ),
    ],
)
def test_public_samples(name: str, expected: CaptureInfo) -> None:
    with (DATA / name).open("rb") as stream:
        assert picture_capture(stream) == expected


# --- hostile pictures ---


def test_an_app1_segment_cut_short_is_an_error() -> None:
    jpeg = exif_jpeg(kochi_exif())
    at = jpeg.index(b"\xff\xe1")  # after Pillow's JFIF APP0
    length = struct.unpack(">H", jpeg[at + 2 : at + 4])[0]
    assert jpeg[at + 4 : at + 8] == b"Exif"
    shortened = jpeg[: at + 2] + struct.pack(">H", 40) + jpeg[at + 4 :]
    with pytest.raises(CaptureError, match="cut short"):
        read(shortened)
    with pytest.raises(CaptureError, match="cut short"):
        read(jpeg[: at + length // 2])  # the file itself ends inside the segment


def test_an_exif_block_without_a_tiff_header_is_an_error() -> None:
    plain = saved(drawn(), "JPEG").getvalue()
    with pytest.raises(CaptureError, match="TIFF header"):
        read(with_app1(plain, b"Exif\x00\x00" + b"XX\x00*\x00\x00\x00\x08"))


def test_an_ifd_pointing_outside_the_block_is_an_error() -> None:
    block = b"MM\x00*\x00\x00\x00\x08" + struct.pack(">HHHII", 1, GPS_IFD, 4, 1, 9999)
    plain = saved(drawn(), "JPEG").getvalue()
    with pytest.raises(CaptureError, match="corrupt"):
        read(with_app1(plain, b"Exif\x00\x00" + block + b"\x00" * 4))


@pytest.mark.parametrize(
    "doctype",
    [
        "<!DOCTYPE x [<!ENTITY make 'Canon'>]>",
        "<!DOCTYPE x [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]>",
        "<!DOCTYPE x SYSTEM 'file:///etc/passwd'>",
    ],
)
def test_xmp_with_a_doctype_is_refused_not_expanded(doctype: str) -> None:
    packet = (
        f"{doctype}<x:xmpmeta xmlns:x='adobe:ns:meta/' "
        "xmlns:tiff='http://ns.adobe.com/tiff/1.0/' tiff:Make='&make;'/>"
    ).encode()
    plain = saved(drawn(), "JPEG").getvalue()
    with pytest.raises(CaptureError, match="refused"):
        read(with_app1(plain, XMP_ID + packet))


def test_xmp_that_is_not_xml_is_an_error() -> None:
    plain = saved(drawn(), "JPEG").getvalue()
    with pytest.raises(CaptureError, match="well-formed"):
        read(with_app1(plain, XMP_ID + b"<x:xmpmeta><unclosed"))


def test_a_compressed_xmp_bomb_stops_at_the_cap() -> None:
    bomb = zlib.compress(b" " * (capture.MAX_XMP * 4))
    body = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + bomb
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + b"\x00" * 4
    png = saved(drawn(), "PNG").getvalue()
    with pytest.raises(CaptureError, match="cap"):
        read(png[:33] + chunk + png[33:])  # after the signature and IHDR


# --- videos: boxes built by hand ---


def box(kind: bytes, *children: bytes) -> bytes:
    payload = b"".join(children)
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mvhd(seconds: int, version: int = 0) -> bytes:
    times = struct.pack(">QQIQ" if version else ">IIII", seconds, seconds, 1000, 0)
    return box(b"mvhd", bytes([version, 0, 0, 0]), times, b"\x00" * 80)


def qt_text(kind: bytes, text: str) -> bytes:
    """A udta text item: 2-byte length, 2-byte language, then the text."""
    raw = text.encode()
    return box(kind, struct.pack(">HH", len(raw), 0x55C4), raw)


FTYP = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
SECONDS_1904_TO_2024_03_05 = 3792473530  # 2024-03-05T08:52:10Z


def mp4(*moov_children: bytes, before: bytes = b"") -> io.BytesIO:
    return io.BytesIO(FTYP + before + box(b"moov", *moov_children))


def test_hand_built_mp4_with_mvhd_v0_and_udta() -> None:
    udta = box(
        b"udta",
        qt_text(b"\xa9mak", "samsung"),
        qt_text(b"\xa9mod", "SM-G991B"),
        qt_text(b"\xa9xyz", "+10.0158+076.3418/"),
        b"\x00" * 4,  # QuickTime's 32-bit terminator
    )
    info = video_capture(mp4(mvhd(SECONDS_1904_TO_2024_03_05), udta))
    assert info == CaptureInfo(
        camera_make="samsung",
        camera_model="SM-G991B",
        taken_at="2024-03-05T08:52:10Z",
        gps_lat=10.0158,
        gps_lon=76.3418,
    )


def test_mvhd_v1_with_64_bit_times_after_a_largesize_mdat() -> None:
    mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + 5) + b"frame"
    seconds = SECONDS_1904_TO_2024_03_05 + 2**32  # past 2040, needs 64 bits
    info = video_capture(mp4(mvhd(seconds, version=1), before=mdat))
    assert info.taken_at == "2160-04-11T15:20:26Z"


def test_creation_time_zero_is_absent() -> None:
    assert video_capture(mp4(mvhd(0))).is_empty()


@pytest.mark.parametrize(
    ("iso6709", "place"),
    [
        ("+10.0158+076.3418+012.500/", (10.0158, 76.3418)),
        ("-33.8568+151.2153CRSWGS_84/", (-33.8568, 151.2153)),
        ("+1000.948+07620.508/", (10.0158, 76.3418)),  # DDMM.MMM
        ("+100056.88+0762030.48/", (10.0158, 76.3418)),  # DDMMSS.SS
        ("+00.0000+000.0000/", (None, None)),  # a phone without a fix
        ("+95.0000+076.0000/", (None, None)),
        ("somewhere", (None, None)),
    ],
)
def test_iso6709_forms(iso6709: str, place: tuple[float | None, float | None]) -> None:
    info = video_capture(mp4(box(b"udta", qt_text(b"\xa9xyz", iso6709))))
    assert info.gps_lat == pytest.approx(place[0], abs=1e-4)
    assert info.gps_lon == pytest.approx(place[1], abs=1e-4)


def apple_meta(items: dict[str, str]) -> bytes:
    """QuickTime moov/meta: hdlr mdta, keys, ilst items numbered from 1."""
    keys = b"".join(
        struct.pack(">I", 8 + len(key)) + b"mdta" + key.encode() for key in items
    )
    ilst = b"".join(
        box(
            struct.pack(">I", index),
            box(b"data", b"\x00\x00\x00\x01\x00\x00\x00\x00", value.encode()),
        )
        for index, value in enumerate(items.values(), start=1)
    )
    hdlr = box(b"hdlr", b"\x00" * 8, b"mdta", b"\x00" * 13)
    return box(
        b"meta",
        hdlr,
        box(b"keys", b"\x00" * 4, struct.pack(">I", len(items)), keys),
        box(b"ilst", ilst),
    )


def test_apple_keys_win_and_their_creationdate_becomes_utc() -> None:
    meta = apple_meta(
        {
            "com.apple.quicktime.location.ISO6709": "+09.9312+076.2673+003.000/",
            "com.apple.quicktime.make": "Apple",
            "com.apple.quicktime.model": "iPhone 12",
            "com.apple.quicktime.creationdate": "2024-03-05T14:22:10+0530",
        }
    )
    udta = box(b"udta", qt_text(b"\xa9mak", "Other"))
    edited = SECONDS_1904_TO_2024_03_05 + 86400  # an editor rewrote mvhd a day later
    info = video_capture(mp4(mvhd(edited), udta, meta))
    assert (info.camera_make, info.camera_model) == ("Apple", "iPhone 12")
    assert info.taken_at == "2024-03-05T08:52:10Z"
    assert_kochi(info)


def test_3gpp_loci_is_read() -> None:
    fixed = struct.pack(">iii", round(76.3418 * 65536), round(10.0158 * 65536), 0)
    loci = box(
        b"loci", b"\x00" * 4, b"\x15\xc7", b"home\x00", b"\x00", fixed, b"earth\x00\x00"
    )
    info = video_capture(mp4(box(b"udta", loci)))
    assert info.gps_lat == pytest.approx(10.0158, abs=1e-4)
    assert info.gps_lon == pytest.approx(76.3418, abs=1e-4)


def test_a_moov_of_size_zero_runs_to_the_end_of_the_file() -> None:
    moov = box(b"moov", mvhd(SECONDS_1904_TO_2024_03_05))
    stream = io.BytesIO(FTYP + b"\x00\x00\x00\x00" + moov[4:])
    assert video_capture(stream).taken_at == "2024-03-05T08:52:10Z"


@pytest.mark.parametrize(
    "tail",
    [
        struct.pack(">I4s", 10_000, b"mdat") + b"short",  # larger than the file
        struct.pack(">I4s", 4, b"free"),  # smaller than its own header
        struct.pack(">I4sQ", 1, b"mdat", 8),  # largesize smaller than its header
        struct.pack(">I4s", 1, b"mdat") + b"\x00\x00",  # largesize cut off
    ],
)
def test_bad_box_sizes_are_errors(tail: bytes) -> None:
    with pytest.raises(CaptureError):
        video_capture(io.BytesIO(FTYP + tail))


def test_a_child_larger_than_its_parent_is_an_error() -> None:
    liar = struct.pack(">I4s", 5000, b"udta")
    with pytest.raises(CaptureError, match="claims 5000 bytes"):
        video_capture(mp4(liar))


def test_keys_promising_more_than_they_hold_are_an_error() -> None:
    keys = box(b"keys", b"\x00" * 4, struct.pack(">I", 9))
    meta = box(b"meta", box(b"hdlr", b"\x00" * 24), keys)
    with pytest.raises(CaptureError, match="keys"):
        video_capture(mp4(meta))


def test_nested_depth_bombs_are_not_followed() -> None:
    nested = b""
    for _ in range(5000):
        nested = box(b"udta", nested)
    bomb = nested
    for _ in range(200):
        bomb = box(b"meta", bomb)
    started = time.monotonic()
    assert video_capture(
        mp4(box(b"udta", nested), bomb, box(b"moov", nested))
    ).is_empty()
    assert time.monotonic() - started < 2


class Counting(io.FileIO):
    """A file that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_a_large_video_is_read_by_seeking(tmp_path: Path) -> None:
    path = tmp_path / "big.mp4"
    mdat_size = 2 * 1024**3  # sparse: the disk holds almost nothing
    with path.open("wb") as out:
        out.write(FTYP + struct.pack(">I4sQ", 1, b"mdat", mdat_size))
        out.seek(len(FTYP) + mdat_size)
        out.write(box(b"moov", mvhd(SECONDS_1904_TO_2024_03_05)))
    with Counting(path) as stream:
        info = video_capture(stream)
    assert info.taken_at == "2024-03-05T08:52:10Z"
    assert stream.bytes_read < 4096


def test_a_box_over_the_cap_is_not_read_into_memory(tmp_path: Path) -> None:
    path = tmp_path / "capped.mp4"
    huge = 17 * 1024**2
    with path.open("wb") as out:
        out.write(FTYP + struct.pack(">I4s", 8 + 8 + huge, b"moov"))
        out.write(struct.pack(">I4s", 8 + huge, b"mvhd"))
        out.truncate(len(FTYP) + 16 + huge)
    with path.open("rb") as stream, pytest.raises(CaptureError, match="over the cap"):
        video_capture(stream)


# --- videos made by ffmpeg from a test pattern ---


def ffmpeg(out: Path, *options: str) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    source = ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-t", "1"]
    command = ["ffmpeg", "-v", "error", "-y", *source, *options, "-c:v", "mpeg4"]
    subprocess.run([*command, str(out)], check=True, timeout=60)
    return out


STAMP = ["-metadata", "creation_time=2024-03-05T08:52:10Z"]


def read_video(path: Path) -> CaptureInfo:
    with path.open("rb") as stream:
        return video_capture(stream)


def test_ffmpeg_mp4_creation_time_and_location(tmp_path: Path) -> None:
    # ffmpeg's mp4 muxer writes "location" as a 3GPP loci box, not as ©xyz.
    out = ffmpeg(
        tmp_path / "out.mp4", *STAMP, "-metadata", "location=+10.0158+076.3418/"
    )
    info = read_video(out)
    assert info.taken_at == "2024-03-05T08:52:10Z"
    assert info.gps_lat == pytest.approx(10.0158, abs=1e-4)
    assert info.gps_lon == pytest.approx(76.3418, abs=1e-4)


def test_ffmpeg_mov_quicktime_user_data(tmp_path: Path) -> None:
    out = ffmpeg(
        tmp_path / "out.mov",
        *STAMP,
        *("-metadata", "location=+10.0158+076.3418/"),
        *("-metadata", "make=Apple", "-metadata", "model=iPhone 12"),
    )
    assert read_video(out) == CaptureInfo(
        camera_make="Apple",
        camera_model="iPhone 12",
        taken_at="2024-03-05T08:52:10Z",
        gps_lat=10.0158,
        gps_lon=76.3418,
    )


def test_ffmpeg_mov_apple_metadata_keys(tmp_path: Path) -> None:
    out = ffmpeg(
        tmp_path / "keys.mov",
        "-movflags",
        "use_metadata_tags",
        *("-metadata", "creation_time=2024-03-06T00:00:00Z"),  # a later re-encode
        *(
            "-metadata",
            "com.apple.quicktime.location.ISO6709=+09.9312+076.2673+012.000/",
        ),
        *("-metadata", "com.apple.quicktime.make=Apple"),
        *("-metadata", "com.apple.quicktime.model=iPhone 12"),
        *("-metadata", "com.apple.quicktime.creationdate=2024-03-05T14:22:10+0530"),
    )
    info = read_video(out)
    assert (info.camera_make, info.camera_model) == ("Apple", "iPhone 12")
    assert info.taken_at == "2024-03-05T08:52:10Z"
    assert_kochi(info)


# --- random and mutated bytes ---


def seeds() -> list[bytes]:
    exif = kochi_exif()
    jpeg = with_app1(exif_jpeg(exif), XMP_ID + XMP_ATTRIBUTES).getvalue()
    meta = apple_meta({"com.apple.quicktime.make": "Apple"})
    udta = box(b"udta", qt_text(b"\xa9xyz", "+10.0158+076.3418/"))
    video = mp4(mvhd(SECONDS_1904_TO_2024_03_05), udta, meta).getvalue()
    return [
        jpeg,
        saved(drawn().resize((8, 8)), "PNG", exif=exif).getvalue(),
        saved(drawn().resize((8, 8)), "WEBP", exif=exif).getvalue(),
        saved(drawn().resize((4, 4)), "TIFF").getvalue(),
        video,
    ]


SEEDS = seeds()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed file with a few bytes changed, and maybe cut short."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def survives(read: Callable[[BinaryIO], CaptureInfo], data: bytes) -> None:
    try:
        assert isinstance(read(io.BytesIO(data)), CaptureInfo)
    except CaptureError as error:
        # Every error should be one the readers meant, not a caught crash.
        assert "unexpected" not in str(error)


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(mutated(), st.binary(max_size=512)))
def test_hostile_bytes_give_a_result_or_a_capture_error(data: bytes) -> None:
    survives(picture_capture, data)
    survives(video_capture, data)
