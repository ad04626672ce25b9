"""Search packages for raid teams: per police station a CSV and a printable HTML."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kavach.reporting.exports import safe_text
from kavach.tips.times import IST

if TYPE_CHECKING:
    from jinja2 import Template

__all__ = [
    "INDEX_COLUMNS",
    "PACKAGE_COLUMNS",
    "PackageTarget",
    "PackageTip",
    "StationPackage",
    "render_package",
    "write_packages",
]

PACKAGE_COLUMNS = [
    "operation", "station", "target_id", "score", "names", "address",
    "identifiers", "subscribers", "report_ids", "sections",
]  # fmt: skip
INDEX_COLUMNS = ["station", "police_district", "targets", "csv", "html"]
# Rows of the blank seizure table on each target's search record.
DEVICE_ROWS = 8
_JOIN = "; "
# index.csv sits beside the station files, and Windows refuses these as file names.
_RESERVED = {"index", "con", "prn", "aux", "nul"}
_RESERVED |= {f"{name}{n}" for name in ("com", "lpt") for n in range(1, 10)}
_SLUG_LENGTH = 60
# A tip's free-text summary may quote the reported files; officers in the field must
# not carry their names or hashes, so hex runs of hash length and media file names
# are cut out before printing.
_HASH_LIKE = re.compile(
    r"\b[0-9a-fA-F]{32,}\b"  # MD5, SHA-1, SHA-256, PDQ in hex
    r"|(?<![A-Za-z0-9+/])(?=[A-Za-z+/]*[0-9])[A-Za-z0-9+/]{22,}={0,2}"  # base64
)
_FILE_LIKE = re.compile(
    r"[^\s\"'<>]*\.(?:jpe?g|png|gif|bmp|webp|heic|tiff?|mp4|m4v|mov|avi|mkv|"
    r"wmv|3gp|webm|flv|mpe?g|zip|rar|7z)\b",
    re.IGNORECASE,
)
_REMOVED = "[removed]"


@dataclass(frozen=True)
class PackageTip:
    """One tip behind a target, as counts: no file name or hash of reported material."""

    report_id: str
    source: str
    received: datetime | None
    esp: str
    incident_type: str
    files: int
    files_on_lists: int
    summary: str | None = None


@dataclass(frozen=True)
class PackageTarget:
    """A person or household to search: who, where, why, and which law may apply.

    ``addresses`` holds subscriber postal addresses from ISP replies and addresses
    given in tips; ``identifiers`` their display forms ("+919847011111",
    "kuttan (instagram)"); ``sections`` e.g. "IT Act 67B", "POCSO 15(1)".
    """

    target_id: int
    score: int
    explanation: str
    names: tuple[str, ...]
    addresses: tuple[str, ...]
    identifiers: tuple[str, ...]
    subscribers: tuple[str, ...]
    tips: tuple[PackageTip, ...]
    sections: tuple[str, ...]


@dataclass(frozen=True)
class StationPackage:
    """What the raid team of one police station carries for an operation."""

    operation: str
    operation_dates: str
    police_district: str
    station: str
    targets: tuple[PackageTarget, ...]
    prepared_by: str
    prepared_at: datetime


def write_packages(out_dir: Path, packages: Sequence[StationPackage]) -> list[Path]:
    """Per station ``<slug>.csv`` and a printable ``<slug>.html``, then ``index.csv``.

    Returns every path written, the index last. Two stations whose names give the
    same slug get ``-2``, ``-3``... so no package overwrites another.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    template = _template()
    written: list[Path] = []
    index: list[list[str | int]] = []
    for package, name in zip(packages, _file_names(packages), strict=True):
        csv_path = out_dir / f"{name}.csv"
        html_path = out_dir / f"{name}.html"
        _write_csv(csv_path, package)
        html_path.write_text(_render(template, package), encoding="utf-8")
        index.append(
            [
                safe_text(package.station),
                safe_text(package.police_district),
                len(package.targets),
                csv_path.name,
                html_path.name,
            ]
        )
        written += [csv_path, html_path]
    index_path = out_dir / "index.csv"
    with index_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(INDEX_COLUMNS)
        writer.writerows(index)
    return [*written, index_path]


def render_package(package: StationPackage) -> str:
    """The printable HTML of one station's package (autoescaped, self-contained)."""
    return _render(_template(), package)


def _ranked(targets: Sequence[PackageTarget]) -> list[PackageTarget]:
    """Highest score first; the target id keeps equal scores in a stable order."""
    return sorted(targets, key=lambda t: (-t.score, t.target_id))


def _slug(name: str) -> str:
    """A file-name part: lower-case letters, digits and hyphens; never reserved."""
    text = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    text = text[:_SLUG_LENGTH].strip("-") or "station"
    return f"{text}-station" if text in _RESERVED else text


def _file_names(packages: Sequence[StationPackage]) -> list[str]:
    names: list[str] = []
    taken: set[str] = set()
    for package in packages:
        base = candidate = _slug(package.station)
        number = 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        names.append(candidate)
    return names


def _csv_rows(package: StationPackage) -> list[list[str | int]]:
    """One row per target and address; a target without an address still gets one."""
    rows: list[list[str | int]] = []
    for target in _ranked(package.targets):
        shared = [
            _joined(target.names),
            _joined(target.identifiers),
            _joined(target.subscribers),
            _joined(tip.report_id for tip in target.tips),
            _joined(target.sections),
        ]
        for address in target.addresses or ("",):
            rows.append(
                [
                    safe_text(package.operation),
                    safe_text(package.station),
                    target.target_id,
                    target.score,
                    shared[0],
                    safe_text(address),
                    *shared[1:],
                ]
            )
    return rows


def _joined(values: Iterable[str]) -> str:
    return safe_text(_JOIN.join(values))


def _write_csv(path: Path, package: StationPackage) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        # Every text cell quoted: a carriage return inside an address must not split
        # the row in a reader that treats a bare CR as a line end.
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(PACKAGE_COLUMNS)
        writer.writerows(_csv_rows(package))


def _when(value: datetime | None) -> str:
    """A time in IST for the field; a time without a zone is already IST."""
    if value is None:
        return "-"
    local = value.astimezone(IST) if value.tzinfo else value
    return local.strftime("%Y-%m-%d %H:%M IST")


def _scrubbed(summary: str | None) -> str | None:
    if summary is None:
        return None
    return _FILE_LIKE.sub(_REMOVED, _HASH_LIKE.sub(_REMOVED, summary))


def _render(template: Template, package: StationPackage) -> str:
    return template.render(
        package=package,
        targets=_ranked(package.targets),
        prepared_at=_when(package.prepared_at),
        device_rows=DEVICE_ROWS,
    )


def _template() -> Template:
    # Imported here so that loading the command line does not load Jinja2.
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("kavach.reporting", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    environment.filters["when"] = _when
    environment.filters["scrubbed"] = _scrubbed
    return environment.get_template("package.html")
