"""Synthetic tips, ISP replies and GeoIP databases for the casework tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mmdb_writer import MMDBWriter
from netaddr import IPSet


def person(
    phone: str | None = None,
    email: str | None = None,
    screen: str | None = None,
    service: str = "ExampleChat",
    captures: list[dict[str, Any]] | None = None,
    first: str = "Test",
    last: str = "Person",
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "firstName": first,
        "lastName": last,
        "espService": service,
    }
    if phone:
        entry["phones"] = {"phones": [{"value": phone}]}
    if email:
        entry["emails"] = {"emails": [{"value": email}]}
    if screen:
        entry["screenName"] = {"value": screen}
    if captures:
        entry["sourceInformation"] = {"sourceCaptures": captures}
    return entry


def capture(ip: str, at: str, port: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "captureType": "IP Address",
        "value": ip,
        "dateTime": at,
        "eventName": "Upload",
    }
    if port is not None:
        found["port"] = str(port)
    return found


def report(
    report_id: str,
    persons: list[dict[str, Any]],
    files: list[tuple[str, str]] = (),  # type: ignore[assignment]
    received: str = "2026-11-20T10:00:00Z",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "reportId": report_id,
        "dateReceived": received,
        "reportedInformation": {
            "reportingEsp": {"espName": "ExampleChat"},
            "incidentSummary": {
                "incidentType": "Child Pornography",
                "incidentDateTime": received,
            },
            "reportedPeople": {"reportedPersons": persons},
            "uploadedFiles": {
                "uploadedFiles": [
                    {"filename": name, "verificationHash": digest}
                    for name, digest in files
                ]
            },
        },
        **extra,
    }


def write_reports(path: Path, reports: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"reports": reports}, indent=1), encoding="utf-8")
    return path


def write_city_db(path: Path, records: dict[str, dict[str, Any]]) -> Path:
    """A GeoIP2 City database (IPv6 tree holding IPv4, as GeoLite2 is)."""
    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type="GeoLite2-City",
        languages=["en"],
        description="Kavach test City database",
    )
    for network, record in records.items():
        writer.insert_network(IPSet([network]), record)
    writer.to_db_file(str(path))
    return path


def city(name: str, lat: float, lon: float) -> dict[str, Any]:
    return {
        "city": {"names": {"en": name}},
        "subdivisions": [{"names": {"en": "Kerala"}}],
        "country": {"iso_code": "IN"},
        "location": {"latitude": lat, "longitude": lon, "accuracy_radius": 20},
    }
