"""Phone extractions: a UFDR-style report (report.xml) and iOS backups (Manifest.db).

Both map the files an extraction tool wrote (under made-up names) back to where they
lay on the phone, so hits can show the original paths and times. Hashes a report
states are checked against what Kavach computes.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml.ElementTree import iterparse

REPORT = "report.xml"


@dataclass(frozen=True)
class PhoneFile:
    """What an extraction report says of one file."""

    original_path: str
    times: str = ""  # "CreationTime=...; ModifyTime=..."
    hashes: dict[str, str] = field(default_factory=dict)  # "md5"/"sha256" -> hex
    deleted: bool = False


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _normal(local_path: str) -> str:
    return local_path.replace("\\", "/").lstrip("/")


def read_report(stream: BinaryIO) -> dict[str, PhoneFile]:
    """Files of a UFDR ``report.xml``, by their path inside the extraction."""
    found: dict[str, PhoneFile] = {}
    try:
        for _event, element in iterparse(stream, events=("end",)):
            if _local(element.tag) != "file":
                continue
            entry = _file(element)
            if entry is not None:
                found[entry[0]] = entry[1]
            element.clear()
    except ParseError as exc:
        raise ValueError(f"report.xml not readable: {exc}") from None
    return found


def _file(element: Element) -> tuple[str, PhoneFile] | None:
    original = element.get("path")
    local = None
    hashes = {}
    times = []
    for child in element.iter():
        name = _local(child.tag)
        if name == "item":
            key = (child.get("name") or "").lower()
            value = (child.text or "").strip()
            if key == "local path":
                local = value
            elif key in ("md5", "sha256", "sha1") and value:
                hashes[key] = value.lower()
        elif name == "timestamp" and (child.text or "").strip():
            times.append(f"{child.get('name', 'Time')}={(child.text or '').strip()}")
    if not original or not local:
        return None
    deleted = (element.get("deleted") or "").lower() == "deleted"
    return _normal(local), PhoneFile(original, "; ".join(times), hashes, deleted)


def ios_manifest(backup_dir: bytes) -> dict[bytes, bytes]:
    """``xx/fileID`` -> ``Domain/relative/path`` from an iOS backup's Manifest.db."""
    database = os.path.join(backup_dir, b"Manifest.db")
    uri = f"file:{os.fsdecode(database)}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return {}
    try:
        rows = connection.execute(
            "SELECT fileID, domain, relativePath FROM Files WHERE flags = 1"
        ).fetchall()
    except sqlite3.Error:
        return {}
    finally:
        connection.close()
    return {
        f"{file_id[:2]}/{file_id}".encode(): f"{domain}/{relative}".encode()
        for file_id, domain, relative in rows
        if file_id and domain is not None and relative
    }
