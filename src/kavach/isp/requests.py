"""Requests to ISPs for the events still without a subscriber, and their letters."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kavach.casework_vocabulary import AttributionState
from kavach.errors import ConfigError
from kavach.isp.attribution import ReplyIndex, address_key
from kavach.reporting.exports import safe_text
from kavach.tips.model import IpEvent
from kavach.tips.times import in_ist

# CDR / IPDR retention since 2022: two years.
RETENTION_DAYS = 730
UNKNOWN_ISP = "unknown"
# What an ISP can still answer: nothing yet, or a reply that named two people.
_REQUESTABLE = frozenset({AttributionState.NO_REPLY, AttributionState.AMBIGUOUS})
REQUEST_COLUMNS = [
    "serial", "ip", "port", "date_ist", "time_ist", "event", "report_ids",
    "past_retention",
]  # fmt: skip

if TYPE_CHECKING:
    from jinja2 import Template

IspLookup = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class IspRequest:
    """One address, port and moment to ask an ISP about, and where it came from."""

    ip: str
    port: int | None
    at: datetime  # zone-aware; date and time below are its IST reading
    date: str  # IST, YYYY-MM-DD
    time: str  # IST, HH:MM:SS
    event: str  # Login, Upload, ...; several joined with "; "
    report_ids: tuple[str, ...]
    isp: str
    past_retention: bool


def build_requests(
    sightings: Iterable[tuple[str, IpEvent]],
    isp_of: IspLookup,
    today: date,
    index: ReplyIndex | None = None,
    retention_days: int = RETENTION_DAYS,
) -> list[IspRequest]:
    """A request per distinct (address, port, time) not yet attributed by ``index``.

    ``sightings`` are ``(report id, event)`` pairs. Events without a time, and
    CGNAT events without a port, are left out: no ISP can answer them. The same
    event reported twice is one request naming both reports.
    """
    merged: dict[tuple[str, int | None, datetime], list[tuple[str, IpEvent]]] = {}
    for report_id, event in sightings:
        if event.at is None:
            continue
        if index is not None and index.attribute(event).state not in _REQUESTABLE:
            continue
        key = address_key(event.address)
        address = str(key) if key is not None else event.address
        merged.setdefault((address, event.port, event.at), []).append(
            (report_id, event)
        )
    return [
        _request(address, port, at, found, isp_of, today, retention_days)
        for (address, port, at), found in merged.items()
    ]


def _request(
    address: str,
    port: int | None,
    at: datetime,
    found: list[tuple[str, IpEvent]],
    isp_of: IspLookup,
    today: date,
    retention_days: int,
) -> IspRequest:
    local = in_ist(at)
    events = dict.fromkeys(e.event for _, e in found if e.event)
    return IspRequest(
        ip=address,
        port=port,
        at=at,
        date=local.strftime("%Y-%m-%d"),
        time=local.strftime("%H:%M:%S"),
        event="; ".join(events),
        report_ids=tuple(dict.fromkeys(r for r, _ in found)),
        isp=isp_of(address) or UNKNOWN_ISP,
        past_retention=(today - local.date()).days > retention_days,
    )


def group_by_isp(requests: Iterable[IspRequest]) -> dict[str, list[IspRequest]]:
    """Requests per ISP, ISPs by name, each ISP's requests by time then address."""
    groups: dict[str, list[IspRequest]] = {}
    for request in requests:
        groups.setdefault(request.isp, []).append(request)
    return {
        isp: sorted(groups[isp], key=lambda r: (r.at, r.ip, r.port or 0))
        for isp in sorted(groups, key=str.casefold)
    }


def slug(name: str) -> str:
    """A file-name part for an ISP: lower case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or UNKNOWN_ISP


def write_requests(
    out_dir: Path,
    groups: dict[str, list[IspRequest]],
    *,
    station: str,
    unit: str,
    today: date,
    retention_days: int = RETENTION_DAYS,
) -> list[Path]:
    """Per ISP ``requests-<isp>.csv`` and a printable ``letter-<isp>.html``, then an
    ``index.csv`` of counts; returns every path written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    letters = _letter_template()
    written: list[Path] = []
    summary: list[list[Any]] = []
    for isp, name in _file_names(groups).items():
        rows = groups[isp]
        csv_path = out_dir / f"requests-{name}.csv"
        letter_path = out_dir / f"letter-{name}.html"
        _write_csv(csv_path, rows)
        letter = letters.render(
            isp=isp,
            rows=rows,
            station=station,
            unit=unit,
            today=today.isoformat(),
            retention_days=retention_days,
        )
        letter_path.write_text(letter, encoding="utf-8")
        expired = sum(r.past_retention for r in rows)
        summary.append([isp, len(rows), expired, csv_path.name, letter_path.name])
        written += [csv_path, letter_path]
    index_path = out_dir / "index.csv"
    with index_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["isp", "requests", "past_retention", "csv", "letter"])
        writer.writerows([safe_text(row[0]), *row[1:]] for row in summary)
    return [*written, index_path]


def _file_names(groups: dict[str, list[IspRequest]]) -> dict[str, str]:
    """A distinct slug per ISP: "Kayal Net" and "kayal-net" must not share a file."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for isp in groups:
        base = candidate = slug(isp)
        number = 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        names[isp] = candidate
    return names


def _write_csv(path: Path, rows: list[IspRequest]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REQUEST_COLUMNS)
        for serial, row in enumerate(rows, start=1):
            writer.writerow(
                [
                    serial,
                    row.ip,
                    "" if row.port is None else row.port,
                    row.date,
                    row.time,
                    safe_text(row.event),
                    safe_text(" ".join(row.report_ids)),
                    "yes" if row.past_retention else "no",
                ]
            )


def _letter_template() -> Template:
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("kavach.isp", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    return environment.get_template("letter.html")


def asn_isp_lookup(path: Path) -> IspLookup:
    """``isp_of`` over a GeoLite2-ASN database: the AS organisation of an address."""
    import maxminddb

    try:
        reader = maxminddb.open_database(str(path))
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        raise ConfigError(f"{path}: cannot read the ASN database ({exc})") from None
    kind = reader.metadata().database_type
    if "ASN" not in kind:
        reader.close()
        raise ConfigError(f"{path}: a {kind} database, not an ASN one (GeoLite2-ASN)")

    def isp_of(address: str) -> str | None:
        try:
            record = reader.get(address)
        except ValueError:
            return None
        if not isinstance(record, dict):
            return None
        organisation = record.get("autonomous_system_organization")
        return organisation if isinstance(organisation, str) and organisation else None

    return isp_of
