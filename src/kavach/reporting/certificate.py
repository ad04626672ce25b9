"""The certificate for an electronic record under BSA 2023 s.63(4)(c), as HTML and PDF.

Laid out after the Schedule to the Bharatiya Sakshya Adhiniyam (which replaced IEA
s.65B on 1 July 2024): Part A for the party producing the record, Part B for the
expert. Kavach fills in only what it has recorded; everything else is a blank line
marked "to be filled by hand", never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from kavach.reporting.pdf import html_to_pdf, paper_time, render_paper_html

__all__ = [
    "SCHEDULE_DEVICE_TYPES",
    "CertificateData",
    "DeviceIdentity",
    "HashLine",
    "render_certificate_html",
    "render_certificate_pdf",
    "schedule_device_type",
]

# The device boxes of the Schedule, in its order.
SCHEDULE_DEVICE_TYPES = (
    "Computer / Storage Media", "DVR", "Mobile", "Flash Drive", "CD/DVD", "Server",
    "Cloud", "Other",
)  # fmt: skip
_DEVICE_WORDS = {
    "Computer / Storage Media": (
        "computer", "storage media", "computer storage media", "laptop", "desktop",
        "hard disk", "hard disk drive", "hdd", "ssd", "external hard disk",
        "memory card", "sd card",
    ),
    "DVR": ("dvr", "nvr", "cctv dvr"),
    "Mobile": ("mobile", "mobile phone", "phone", "smartphone", "cell phone"),
    "Flash Drive": ("flash drive", "pen drive", "pendrive", "usb flash drive"),
    "CD/DVD": ("cd", "dvd", "cd dvd", "cd r", "dvd r", "optical disc"),
    "Server": ("server",),
    "Cloud": ("cloud", "cloud account", "cloud storage"),
}  # fmt: skip
_DEVICE_BOX = {word: box for box, words in _DEVICE_WORDS.items() for word in words}
# Algorithm as printed in the hash table -> (the Schedule's box, hex digits).
_ALGORITHMS = {"MD5": ("MD5", 32), "SHA-1": ("SHA1", 40), "SHA-256": ("SHA256", 64)}
_ALIASES = {"MD5": "MD5", "SHA1": "SHA-1", "SHA256": "SHA-256"}
_HEX = re.compile(r"[0-9a-fA-F]+")


@dataclass(frozen=True)
class DeviceIdentity:
    """The device or digital record source, as Kavach recorded it at seizure.

    ``other_ids`` holds the Schedule's other identifiers as (kind, value), e.g.
    ("MAC", "00:1a:..."), ("UIN", ...), ("Cloud ID", ...); ``owner`` the recorded
    owner or user of the device, shown as information, never as the signer.
    """

    device_type: str
    make: str | None
    model: str | None
    serial: str | None
    imei: str | None
    other_ids: list[tuple[str, str]]
    owner: str | None
    seal_number: str | None


@dataclass(frozen=True)
class HashLine:
    """One hash value and where it comes from, in words a court can follow.

    ``what`` e.g. "Forensic image disk.E01 (acquisition, stated in the E01 header)";
    ``algorithm`` "MD5", "SHA-1" or "SHA-256" (checked against the value's length).
    """

    what: str
    algorithm: str
    value: str


@dataclass(frozen=True)
class CertificateData:
    """Everything the certificate prints; ``tool`` e.g. "Kavach 0.1.0".

    ``hash_report_name`` is the hash report enclosed with the certificate, as the
    Schedule asks, and ``hash_report_sha256`` that file's own digest.
    """

    exhibit_label: str
    case_ref: str | None
    device: DeviceIdentity
    hashes: list[HashLine]
    hash_report_name: str
    hash_report_sha256: str
    examined_by: str | None
    lab: str | None
    tool: str
    generated_at: datetime
    time_zone: str = "Asia/Kolkata"


def schedule_device_type(device_type: str) -> str:
    """The Schedule's box for a recorded device type; "Other" unless it plainly fits."""
    words = " ".join(re.findall(r"[a-z0-9]+", device_type.casefold()))
    return _DEVICE_BOX.get(words, "Other")


def render_certificate_html(data: CertificateData) -> str:
    """The certificate as one self-contained HTML page (Part B starts a new sheet)."""
    hashes = [_checked(line) for line in data.hashes]
    _checked(HashLine(data.hash_report_name, "SHA-256", data.hash_report_sha256))
    used = {_ALGORITHMS[h.algorithm][0] for h in hashes if h.algorithm in _ALGORITHMS}
    return render_paper_html(
        "certificate.html",
        time_zone=data.time_zone,
        data=data,
        device=data.device,
        hashes=hashes,
        device_box=schedule_device_type(data.device.device_type),
        device_boxes=SCHEDULE_DEVICE_TYPES,
        algorithm_boxes=[(box, box in used) for box in ("SHA1", "SHA256", "MD5")],
        other_algorithms=sorted(
            {h.algorithm for h in hashes if h.algorithm not in _ALGORITHMS}
        ),
        generated=paper_time(data.generated_at, data.time_zone),
    )


def render_certificate_pdf(data: CertificateData) -> bytes:
    """The certificate as a PDF with no image in it (see ``html_to_pdf``)."""
    return html_to_pdf(render_certificate_html(data))


def _checked(line: HashLine) -> HashLine:
    """A hash as printed: hex, as long as its algorithm says, the algorithm's name
    written one way ("sha256" and "SHA256" print as "SHA-256")."""
    key = re.sub(r"[\s_-]", "", line.algorithm).upper()
    algorithm = _ALIASES.get(key, line.algorithm.strip())
    if not algorithm:
        raise ValueError(f"{line.what}: a hash value without its algorithm")
    if not _HEX.fullmatch(line.value):
        raise ValueError(f"{line.what}: {algorithm} value {line.value!r} is not hex")
    known = _ALGORITHMS.get(algorithm)
    if known and len(line.value) != known[1]:
        raise ValueError(
            f"{line.what}: a {algorithm} value has {known[1]} hex digits, "
            f"not {len(line.value)}"
        )
    return HashLine(line.what, algorithm, line.value)
