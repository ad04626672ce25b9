"""Court papers: the s.63 certificate and the custody annex, read back from the PDF.

Every PDF is read with poppler (``pdftotext -layout``, ``pdfimages -list``), the
way a court clerk's copy would be, and must hold no image at all.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
import subprocess
import zlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from PIL import Image

from kavach.reporting.certificate import (
    CertificateData,
    DeviceIdentity,
    HashLine,
    render_certificate_html,
    render_certificate_pdf,
    schedule_device_type,
)
from kavach.reporting.custody_annex import (
    CustodyAnnexData,
    CustodyStepRow,
    DeviceCustody,
    custody_gaps,
    render_custody_annex_html,
    render_custody_annex_pdf,
)
from kavach.reporting.pdf import html_to_pdf, paper_time, pdf_image_count

GENERATED = datetime(2026, 12, 2, 3, 45, tzinfo=UTC)  # 09:15 IST
IMAGE_MD5 = hashlib.md5(b"disk.E01").hexdigest()
IMAGE_SHA1 = hashlib.sha1(b"disk.E01").hexdigest()
IMAGE_SHA256 = hashlib.sha256(b"disk.E01").hexdigest()
MANIFEST_SHA256 = hashlib.sha256(b"folder manifest").hexdigest()
REPORT_SHA256 = hashlib.sha256(b"hash report").hexdigest()
OWNER = "Anil Kumar, Thiruvananthapuram – ₹ 5,000 bond"
EXPERT = "Dr. Léa Ñuñez"
CASE = "FIR No. 12 of 2026, P.S. Cyber Police Station Kochi City"


def _needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def _text(pdf: bytes) -> str:
    """The PDF as pdftotext -layout prints it; pages end with a form feed."""
    run = subprocess.run(
        [_needs("pdftotext"), "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return run.stdout.decode("utf-8")


def _image_rows(pdf: bytes) -> list[str]:
    """The rows of pdfimages -list below its two header lines."""
    run = subprocess.run(
        [_needs("pdfimages"), "-list", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    lines = run.stdout.decode("utf-8").splitlines()
    assert lines[0].split()[:3] == ["page", "num", "type"]
    return [line for line in lines[2:] if line.strip()]


def _joined(text: str) -> str:
    """All whitespace as one space: for phrases a line may break."""
    return " ".join(text.split())


def _on_one_line(value: str, text: str) -> int:
    """How many lines hold the whole value (a wrapped hash would count 0)."""
    return sum(line.count(value) for line in text.splitlines())


_COLUMNS = ["#", "Date & time", "Step", "By", "Place", "Remarks", "Recorded by / at"]


def _custody_rows(text: str) -> list[list[str]]:
    """The custody tables read back cell by cell, cut where each page's header row
    puts its column titles; a page without the header row yields no rows."""
    rows: list[list[list[str]]] = []
    for page in text.split("\f"):
        cuts: list[int] | None = None
        for line in page.splitlines():
            if "Date & time" in line and "Recorded by / at" in line:
                cuts = [max(0, line.index(title) - 1) for title in _COLUMNS[1:]]
                continue
            if cuts is None:
                continue
            if not line.strip():
                cuts = None
                continue
            cells = [line[a:b] for a, b in zip([0, *cuts], [*cuts, None], strict=True)]
            if cells[0].strip().isdigit():
                rows.append([[] for _ in _COLUMNS])
            for column, cell in zip(rows[-1], cells, strict=True):
                if cell.strip():
                    column.append(cell.strip())
    return [[" ".join(cell) for cell in row] for row in rows]


# --- the certificate ------------------------------------------------------------


def _device(**changes: object) -> DeviceIdentity:
    fields: dict[str, object] = {
        "device_type": "Mobile phone",
        "make": "Samsung",
        "model": None,
        "serial": "R58N123ABCD",
        "imei": "356938035643809",
        "other_ids": [("MAC", "00:1a:2b:3c:4d:5e"), ("Cloud ID", "anil.k@example.in")],
        "owner": OWNER,
        "seal_number": "KCC/CY/12/2026-S1",
    }
    fields.update(changes)
    return DeviceIdentity(**fields)  # type: ignore[arg-type]


def _certificate(**changes: object) -> CertificateData:
    fields: dict[str, object] = {
        "exhibit_label": "E-1",
        "case_ref": CASE,
        "device": _device(),
        "hashes": [
            HashLine(
                "Forensic image disk.E01 (acquisition, E01 header)", "MD5", IMAGE_MD5
            ),
            HashLine(
                "Forensic image disk.E01 (acquisition, E01 header)", "SHA-1", IMAGE_SHA1
            ),
            HashLine(
                "Forensic image disk.E01 (verified by Kavach)", "SHA-256", IMAGE_SHA256
            ),
            HashLine(
                "Exhibit integrity (SHA-256 of the folder manifest, as the scan "
                "printed it)",
                "SHA-256",
                MANIFEST_SHA256,
            ),
        ],
        "hash_report_name": "E-1_hash_report.csv",
        "hash_report_sha256": REPORT_SHA256,
        "examined_by": EXPERT,
        "lab": "Regional Forensic Science Laboratory, Thiruvananthapuram",
        "tool": "Kavach 0.1.0",
        "generated_at": GENERATED,
    }
    fields.update(changes)
    return CertificateData(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def certificate_pdf() -> bytes:
    return render_certificate_pdf(_certificate())


def test_certificate_prints_every_hash_whole_in_both_parts(
    certificate_pdf: bytes,
) -> None:
    text = _text(certificate_pdf)
    for value in (IMAGE_MD5, IMAGE_SHA1, IMAGE_SHA256, MANIFEST_SHA256, REPORT_SHA256):
        assert _on_one_line(value, text) == 2, value  # once in Part A, once in Part B
    joined = _joined(text)
    assert "Hash report enclosed: E-1_hash_report.csv" in joined
    assert f"(SHA-256 {REPORT_SHA256})" in joined
    assert "☒ SHA1 ☒ SHA256 ☒ MD5 ☐ Other" in joined


def test_certificate_follows_the_schedule(certificate_pdf: bytes) -> None:
    text = _text(certificate_pdf)
    joined = _joined(text)
    assert (
        "CERTIFICATE UNDER SECTION 63(4)(c) OF THE BHARATIYA SAKSHYA ADHINIYAM, 2023"
        in joined
    )
    part_a, part_b = joined.split("PART B (to be filled by the expert)")
    assert "PART A (to be filled by the party)" in part_a
    assert "under lawful control" in part_a and "ordinary course" in part_a
    assert "☐ owned ☐ maintained ☐ managed ☐ operated by me" in part_a
    assert "(Name and signature)" in part_a
    assert "(Name, designation and signature)" in part_b
    assert f"I, {EXPERT} (name)" in part_b
    assert "Hash values computed with: Kavach 0.1.0." in part_b
    # Part B begins a new sheet; each sheet says where it belongs.
    pages = text.split("\f")
    assert "PART B" in pages[1] and "PART B" not in pages[0]
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    for page in pages[:2]:
        assert "Certificate under BSA 2023, s.63(4)(c)" in page
        assert f"Exhibit E-1 · {CASE}" in page
        assert "Generated 02 Dec 2026, 09:15 IST by Kavach 0.1.0" in page


def test_certificate_fills_what_kavach_knows_and_blanks_the_rest(
    certificate_pdf: bytes,
) -> None:
    joined = _joined(_text(certificate_pdf))
    for part in joined.split("PART B")[0], joined.split("PART B")[1]:
        assert "☒ Mobile" in part and "☐ DVR" in part and "☐ Other" in part
        assert "As recorded: Mobile phone" in part
        assert "Make: Samsung" in part
        assert "Model: to be filled by hand" in part  # not known: never guessed
        assert "Colour to be filled by hand" in part
        assert "R58N123ABCD" in part
        assert "IMEI: 356938035643809" in part
        assert "MAC: 00:1a:2b:3c:4d:5e" in part
        assert "Cloud ID: anil.k@example.in" in part
        assert "Seal number: KCC/CY/12/2026-S1" in part
        assert f"Recorded owner / user: {OWNER}" in part
    assert "Date (DD/MM/YYYY): to be filled by hand" in joined
    assert "Time (IST): to be filled by hand hours (24-hour format)" in joined


def test_certificate_pdf_holds_no_image(certificate_pdf: bytes) -> None:
    assert pdf_image_count(certificate_pdf) == 0
    assert _image_rows(certificate_pdf) == []


def test_a_device_without_identifiers_gets_blanks_and_other() -> None:
    bare = _device(
        device_type="Smart watch", make=None, serial=None, imei=None, other_ids=[],
        owner=None, seal_number=None,
    )  # fmt: skip
    joined = _joined(_text(render_certificate_pdf(_certificate(device=bare))))
    assert "☒ Other" in joined and "Other: Smart watch" in joined
    assert "Make: to be filled by hand" in joined
    assert "Serial number to be filled by hand" in joined
    assert "MAC / Cloud ID to be filled by hand" in joined
    assert "Recorded owner" not in joined


def test_certificate_text_is_escaped_not_refused() -> None:
    """A name that looks like markup is printed as text, never loaded."""
    odd = _device(make='<img src="x.png"> url(y) data:,z')
    html = render_certificate_html(_certificate(device=odd))
    assert "&lt;img" in html and "<img" not in html
    joined = _joined(_text(html_to_pdf(html)))
    assert 'Make: <img src="x.png"> url(y) data:,z' in joined


@pytest.mark.parametrize(
    ("algorithm", "value", "message"),
    [
        ("SHA-256", IMAGE_SHA256[:63], "64 hex digits, not 63"),
        ("MD5", IMAGE_MD5 + "0", "32 hex digits, not 33"),
        ("SHA-1", "z" * 40, "not hex"),
        ("", IMAGE_MD5, "without its algorithm"),
    ],
)
def test_certificate_refuses_a_broken_hash(
    algorithm: str, value: str, message: str
) -> None:
    data = _certificate(hashes=[HashLine("disk.E01", algorithm, value)])
    with pytest.raises(ValueError, match=message):
        render_certificate_html(data)


def test_certificate_names_algorithms_one_way() -> None:
    data = _certificate(
        hashes=[
            HashLine("a", "sha256", IMAGE_SHA256),
            HashLine("b", "SHA-512", hashlib.sha512(b"b").hexdigest()),
        ]
    )
    joined = _joined(_text(render_certificate_pdf(data)))
    assert "a SHA-256 " + IMAGE_SHA256 in joined
    assert "☐ SHA1 ☒ SHA256 ☐ MD5 ☒ Other: SHA-512" in joined


def test_certificate_refuses_a_time_without_zone() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        render_certificate_html(_certificate(generated_at=datetime(2026, 12, 2, 9, 15)))


@pytest.mark.parametrize(
    ("recorded", "box"),
    [
        ("Mobile phone", "Mobile"),
        ("SMARTPHONE", "Mobile"),
        ("Laptop", "Computer / Storage Media"),
        ("hard disk", "Computer / Storage Media"),
        ("Pen drive", "Flash Drive"),
        ("CD-R", "CD/DVD"),
        ("DVR", "DVR"),
        ("Cloud account", "Cloud"),
        ("Server", "Server"),
        ("Smart watch", "Other"),
        ("Mobile phone charger", "Other"),
    ],
)
def test_schedule_device_type(recorded: str, box: str) -> None:
    assert schedule_device_type(recorded) == box


# --- the custody annex ----------------------------------------------------------

T0 = datetime(2026, 11, 20, 4, 30, tzinfo=UTC)  # 10:00 IST


def _step(
    hours: float,
    step: str,
    *,
    late: float = 0.5,
    by: str = "SI Rajan Pillai",
    **more: str,
) -> CustodyStepRow:
    at = T0 + timedelta(hours=hours)
    return CustodyStepRow(
        at=at,
        step=step,
        by=by,
        place=more.get("place", "Cyber Police Station Kochi City"),
        remarks=more.get("remarks"),
        recorded_by=more.get("recorded_by", "HC Sreeja"),
        recorded_at=at + timedelta(hours=late),
    )


CLEAN = [
    _step(0, "seized", remarks="Seized from the bedroom shelf"),
    _step(0.5, "sealed", remarks="Seal KCC/CY/12/2026-S1"),
    _step(26, "transferred", by="HC Ñuñez", remarks="To RFSL by hand, docket 41/26"),
    _step(
        30, "received", by="Dr. Léa Ñuñez", place="RFSL Thiruvananthapuram – ₹ store"
    ),
    _step(50, "examined", by="Dr. Léa Ñuñez", place="RFSL Thiruvananthapuram"),
    _step(52, "resealed", by="Dr. Léa Ñuñez", remarks="Seal RFSL/26/118"),
]


def _device_custody(
    label: str, steps: list[CustodyStepRow], **changes: object
) -> DeviceCustody:
    fields: dict[str, object] = {
        "label": label,
        "device_type": "Mobile phone",
        "make": "Samsung",
        "model": "SM-A125F",
        "serial": "R58N123ABCD",
        "imei": "356938035643809",
        "seal_number": "KCC/CY/12/2026-S1",
        "seized_at": T0,
        "steps": steps,
        "exhibit_sha256": MANIFEST_SHA256,
    }
    fields.update(changes)
    return DeviceCustody(**fields)  # type: ignore[arg-type]


def _annex(devices: list[DeviceCustody]) -> CustodyAnnexData:
    return CustodyAnnexData(
        case_number=CASE,
        station="Cyber Police Station Kochi City",
        sections=["IT Act 67B", "POCSO 15(1)"],
        devices=devices,
        generated_at=GENERATED,
        generated_by="SI Rajan Pillai",
    )


GAPPY = [
    _step(0, "seized"),
    _step(3, "Transferred", by="HC Biju", remarks="To the cyber cell"),
    _step(5, "examined", by="SI Ann", late=30),
]


@pytest.fixture(scope="module")
def annex_pdf() -> bytes:
    shuffled = [CLEAN[3], CLEAN[0], CLEAN[5], CLEAN[1], CLEAN[4], CLEAN[2]]
    devices = [
        _device_custody("E-1", shuffled),
        _device_custody("E-2", GAPPY, make=None, model=None, exhibit_sha256=None),
    ]
    return render_custody_annex_pdf(_annex(devices))


def test_annex_lists_every_step_in_time_order(annex_pdf: bytes) -> None:
    text = _text(annex_pdf)
    joined = _joined(text)
    assert (
        "Annexure: Sequence of custody of electronic devices (BNSS 2023, s.193(3)(i))"
        in joined
    )
    assert CASE in joined and "IT Act 67B; POCSO 15(1)" in joined
    rows = _custody_rows(text)
    expected = [
        [
            str(number),
            paper_time(step.at),
            step.step,
            step.by,
            step.place or "-",
            step.remarks or "-",
            f"{step.recorded_by} {paper_time(step.recorded_at)}",
        ]
        for number, step in enumerate(CLEAN, start=1)
    ]
    assert rows[: len(CLEAN)] == expected
    assert [row[2] for row in rows[len(CLEAN) :]] == [
        "seized",
        "Transferred",
        "examined",
    ]


def test_annex_prints_device_identity(annex_pdf: bytes) -> None:
    text = _text(annex_pdf)
    joined = _joined(text)
    assert "Device 1: E-1 (Mobile phone)" in joined
    assert "Serial number R58N123ABCD" in joined
    assert "IMEI 356938035643809" in joined
    assert "Seal number KCC/CY/12/2026-S1" in joined
    assert "Seized 20 Nov 2026, 10:00 IST" in joined
    assert _on_one_line(MANIFEST_SHA256, text) == 1
    second = joined.split("Device 2: E-2")[1]
    assert "Make not recorded" in second and "not examined" in second


def test_annex_says_where_custody_has_gaps(annex_pdf: bytes) -> None:
    joined = _joined(_text(annex_pdf))
    first, second = joined.split("Device 2: E-2")
    assert "No gap: every transfer was received" in first
    assert "Gaps in the record of custody" not in first
    assert "No gap" not in second
    assert "Step 2 (Transferred, 20 Nov 2026, 13:00 IST): transfer by HC Biju" in second
    assert "no receipt before step 3 (examined)" in second
    assert "Step 3 (examined, 20 Nov 2026, 15:00 IST): recorded 30 h after" in second
    assert "Certification by the investigating officer" in second
    assert "(Signature of the investigating officer)" in second


def test_annex_pdf_holds_no_image(annex_pdf: bytes) -> None:
    text = _text(annex_pdf)
    assert "Page 1 of 1" in text or "Page 1 of 2" in text
    assert pdf_image_count(annex_pdf) == 0
    assert _image_rows(annex_pdf) == []


def test_a_long_custody_list_repeats_its_header_row_on_every_page() -> None:
    kinds = ["transferred", "received", "examined", "resealed", "unsealed"]
    # Rows of one to nine lines, so that some page must end next to a tall row.
    remarks = [
        f"Movement {n:02d} – Kōchi ₹" + " sealed cover" * 5 * (n % 7) for n in range(60)
    ]
    steps = [_step(4 * n, kinds[n % 5], remarks=remarks[n]) for n in range(60)]
    pdf = render_custody_annex_pdf(_annex([_device_custody("E-7", steps)]))
    text = _text(pdf)
    pages = text.split("\f")[:-1]  # the text ends with a form feed
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    table_pages = [page for page in pages if "Movement " in page]
    assert len(table_pages) >= 3
    for page in table_pages:
        header = [line for line in page.splitlines() if "Date & time" in line]
        assert len(header) == 1 and "Recorded by / at" in header[0]
        assert page.index("Date & time") < page.index("Movement ")
    # Every row is read back whole, so no row was split across two pages.
    rows = _custody_rows(text)
    assert [row[0] for row in rows] == [str(n) for n in range(1, 61)]
    assert [row[5] for row in rows] == remarks
    assert [row[1] for row in rows] == [paper_time(step.at) for step in steps]
    assert pdf_image_count(pdf) == 0
    assert _image_rows(pdf) == []


# --- custody_gaps ---------------------------------------------------------------


def test_no_gap_in_a_clean_record() -> None:
    assert custody_gaps(CLEAN) == []


def test_a_transfer_at_the_end_has_no_receipt() -> None:
    gaps = custody_gaps([*CLEAN, _step(60, "Transferred ", by="HC Biju")])
    assert gaps == [
        "Step 7 (Transferred , 22 Nov 2026, 22:00 IST): transfer by HC Biju "
        "with no receipt recorded."
    ]


def test_a_transfer_followed_by_anything_but_a_receipt() -> None:
    steps = [_step(0, "seized"), _step(1, "handed over"), _step(2, "transferred")]
    steps.append(_step(3, "RECEIVED"))
    gaps = custody_gaps(steps)
    assert len(gaps) == 1
    assert gaps[0].startswith("Step 2 (handed over, 20 Nov 2026, 11:00 IST)")
    assert gaps[0].endswith("no receipt before step 3 (transferred).")


def test_steps_are_numbered_in_time_order_whatever_order_they_come_in() -> None:
    steps = [_step(5, "received"), _step(1, "transferred"), _step(0, "seized")]
    assert custody_gaps(steps) == []
    steps = [_step(5, "examined"), _step(1, "transferred"), _step(0, "seized")]
    assert custody_gaps(steps)[0].startswith("Step 2 (transferred")


@pytest.mark.parametrize(
    ("late", "expected"),
    [
        (24, None),
        (24.5, "recorded 24.5 h after it happened"),
        (72, "recorded 72 h after it happened"),
        (-1, "recorded before it happened"),
    ],
)
def test_late_and_early_recording(late: float, expected: str | None) -> None:
    gaps = custody_gaps([_step(0, "seized", late=late)])
    if expected is None:
        assert gaps == []
    else:
        assert len(gaps) == 1 and expected in gaps[0]
        assert "by HC Sreeja" in gaps[0]


def test_a_device_with_no_step_is_a_gap() -> None:
    assert custody_gaps([]) == ["No custody step is recorded for this device."]


def test_annex_html_reads_in_a_browser() -> None:
    html = render_custody_annex_html(_annex([_device_custody("E-1", CLEAN)]))
    assert html.startswith("<!doctype html>")
    assert "<title>Sequence of custody of electronic devices: " in html
    # Header and footer are ordinary elements a browser shows; print moves them.
    assert 'class="paper-header"' in html and 'class="paper-footer"' in html
    assert "<thead><tr><th>#</th><th>Date &amp; time</th>" in html
    assert not re.search(r"<(img|svg|link|script)\b", html)


# --- html_to_pdf: refusal -------------------------------------------------------

PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVQI"
    "12P4DwABAQEAG7buVgAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="evidence.jpg">',
        "<IMG\nSRC=x.png>",
        "< img src=x>",
        "<svg><rect width='1' height='1'/></svg>",
        "<picture></picture>",
        '<object data="x.pdf"></object>',
        '<embed src="x.swf">',
        '<link rel="stylesheet" href="x.css">',
        '<p style="background: url(x.png)">x</p>',
        '<p style="background: u&#114;l(x.png)">x</p>',
        "<style>p { background-image: url('x.png') }</style>",
        r"<style>p { background: u\72 l(x.png) }</style>",
        "<style>p { content: image-set('x.png' 1x) }</style>",
        "<style>@import 'print.css';</style>",
        f'<a href="{PIXEL}">x</a>',
        f"<style>p {{ list-style: url({PIXEL}) }}</style>",
        '<video poster="x.jpg"></video>',
        '<td background="x.png">x</td>',
    ],
)
def test_html_to_pdf_refuses_anything_that_names_an_image(markup: str) -> None:
    with pytest.raises(ValueError, match="may not reference images"):
        html_to_pdf(f"<!doctype html><html><body><p>x</p>{markup}</body></html>")


def test_text_that_talks_about_images_is_printed() -> None:
    html = (
        "<!doctype html><html><body><p>metadata: none; see url(s) in the tip; "
        "&lt;img&gt; tags; data: 3 files</p></body></html>"
    )
    joined = _joined(_text(html_to_pdf(html)))
    assert "metadata: none; see url(s) in the tip; <img> tags; data: 3 files" in joined


def test_the_fetcher_refuses_what_the_markup_check_lets_through() -> None:
    """An attachment link is not an image, but WeasyPrint would fetch and embed it."""
    html = '<html><body><a rel="attachment" href="file:///etc/hostname">x</a></body></html>'
    with pytest.raises(ValueError, match="may not load anything"):
        html_to_pdf(html)


# --- pdf_image_count: it must be able to find an image --------------------------


def _gradient() -> Image.Image:
    image = Image.new("RGB", (8, 8))
    image.putdata([(x * 32, y * 32, 128) for y in range(8) for x in range(8)])
    return image


def test_counts_the_image_of_a_pillow_pdf() -> None:
    out = io.BytesIO()
    _gradient().save(out, "PDF")
    pdf = out.getvalue()
    assert pdf_image_count(pdf) == 1
    assert len(_image_rows(pdf)) == 1


def test_counts_images_in_a_weasyprint_pdf() -> None:
    """WeasyPrint's own output: compressed object streams, as the papers have."""
    import weasyprint  # type: ignore[import-untyped]

    uris = []
    for image in (_gradient(), _gradient().transpose(Image.Transpose.ROTATE_90)):
        png = io.BytesIO()
        image.save(png, "PNG")
        uris.append(
            "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
        )
    html = f'<p>one</p><img src="{uris[0]}"><p>two</p><img src="{uris[1]}">'
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert b"/ObjStm" in pdf
    assert pdf_image_count(pdf) == 2
    assert len(_image_rows(pdf)) == 2


def _handmade_pdf(content: bytes, *, flate: bool, xobject: bytes = b"") -> bytes:
    """A one-page PDF with the given content stream and an optional extra object."""
    data = zlib.compress(content) if flate else content
    filters = b"/Filter /FlateDecode " if flate else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Contents 4 0 R >>",
        b"<< "
        + filters
        + b"/Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream",
    ]
    if xobject:
        objects.append(xobject)
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return out + b"startxref\n%d\n%%%%EOF\n" % xref


INLINE = b"q 8 0 0 8 0 0 cm\nBI /W 2 /H 2 /CS /G /BPC 8 ID \x00\x80\xff\x40 EI\nQ\n"


@pytest.mark.parametrize("flate", [False, True])
def test_counts_an_inline_image(flate: bool) -> None:
    pdf = _handmade_pdf(INLINE, flate=flate)
    assert pdf_image_count(pdf) == 1
    assert len(_image_rows(pdf)) == 1
    assert (
        pdf_image_count(
            _handmade_pdf(b"BT /F1 9 Tf (BI /W is text) Tj ET", flate=flate)
        )
        == 0
    )


def test_counts_an_image_xobject_with_an_escaped_name() -> None:
    xobject = (
        b"<< /Type /XObject /Subtype /Im#61ge /Width 1 /Height 1"
        b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>"
        b"\nstream\n\x80\nendstream"
    )
    assert pdf_image_count(_handmade_pdf(b"", flate=False, xobject=xobject)) == 1


def test_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="not a PDF"):
        pdf_image_count(b"<html></html>")
    lzw = _handmade_pdf(b"", flate=False).replace(
        b"<< /Length", b"<< /Filter /LZWDecode /Length"
    )
    with pytest.raises(ValueError, match="LZWDecode"):
        pdf_image_count(lzw)
    encrypted = _handmade_pdf(b"", flate=False).replace(
        b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 9 0 R"
    )
    with pytest.raises(ValueError, match="encrypted"):
        pdf_image_count(encrypted)


# --- times ------------------------------------------------------------------------


def test_paper_time_is_one_zone() -> None:
    assert paper_time(GENERATED) == "02 Dec 2026, 09:15 IST"
    eastern = timezone(timedelta(hours=-5))
    assert (
        paper_time(datetime(2026, 12, 1, 22, 45, tzinfo=eastern))
        == "02 Dec 2026, 09:15 IST"
    )
    assert paper_time(GENERATED, "UTC") == "02 Dec 2026, 03:45 UTC"
    with pytest.raises(ValueError, match="no time zone"):
        paper_time(datetime(2026, 12, 2, 9, 15))
