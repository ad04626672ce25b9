"""Phone extractions: UFDR-style zips (report.xml) and iOS backups (Manifest.db).

Both map the files an extraction tool wrote (under made-up names) back to where they
lay on the phone, so hits can show the original paths and times. Hashes a report
states travel in the entry's origin and are checked against what Kavach computes.
"""

from __future__ import annotations

import os
import sqlite3
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from typing import BinaryIO, cast
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from kavach.evidence.sources.archive import ZipSource
from kavach.evidence.sources.folder import FolderSource
from kavach.evidence.sources.interface import Container, Entry, Origin, Probe
from kavach.vocabulary import WarningStage

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
    except DefusedXmlException:
        raise ValueError("report.xml declares entities or a DTD; not read") from None
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


class UfdrSource(ZipSource):
    """A zip whose ``report.xml`` maps its members to where they lay on the phone."""

    name = "ufdr"
    description = (
        "UFDR-style extraction zips: report.xml's original paths, times, "
        "deleted flags and stated hashes"
    )

    def recognise(self, probe: Probe) -> int:
        if not super().recognise(probe) or probe.opener is None:
            return 0
        try:
            with probe.opener() as handle, zipfile.ZipFile(handle) as extraction:
                return 80 if REPORT in extraction.namelist() else 0
        except (zipfile.BadZipFile, OSError):
            return 0  # the zip source reports the damage when it opens it

    def entries(self, container: Container) -> Iterator[Entry]:
        report = yield from self._report(container)
        for entry in super().entries(container):
            reported = report.get(entry.spec.name.decode("utf-8", "replace"))
            if reported is None or entry.problem is not None:
                yield entry
                continue
            original = reported.original_path.lstrip("/").encode()
            origin = Origin(
                deleted=reported.deleted,
                times=reported.times,
                extracted_as=entry.spec,
                stated=tuple(sorted(reported.hashes.items())),
                stated_by=REPORT,
            )
            yield replace(entry, spec=entry.spec.with_name(original), origin=origin)

    def _report(
        self, container: Container
    ) -> Generator[Entry, None, dict[str, PhoneFile]]:
        """Yields a warning entry if report.xml is unreadable; returns the report."""
        assert container.opener is not None
        try:
            with container.opener() as handle, zipfile.ZipFile(handle) as zipped:
                with zipped.open(REPORT) as report:
                    return read_report(cast(BinaryIO, report))
        except (zipfile.BadZipFile, OSError, KeyError):
            return {}
        except ValueError as exc:
            yield Entry(
                container.spec,
                self.name,
                problem=f"extraction report not read: {exc}",
                stage=WarningStage.REPORT,
            )
            return {}


class IosBackupSource(FolderSource):
    """An iTunes/Finder backup folder: files shown under their original paths."""

    name = "ios-backup"
    description = "iOS backups (Manifest.db): files under Domain/relative/path"

    def recognise(self, probe: Probe) -> int:
        folder = probe.local_path
        if folder is None or not os.path.isfile(os.path.join(folder, b"Manifest.db")):
            return 0
        return 50

    def entries(self, container: Container) -> Iterator[Entry]:
        assert container.local_path is not None
        originals = ios_manifest(container.local_path)
        yield from self._walk(container, container, originals)

    def _walk(
        self, backup: Container, folder: Container, originals: dict[bytes, bytes]
    ) -> Iterator[Entry]:
        for entry in super().entries(folder):
            if entry.folder:
                inner = Container(entry.spec, local_path=entry.locator)
                yield from self._walk(backup, inner, originals)
                continue
            stored = entry.spec.name[len(backup.spec.name) :].lstrip(b"/")
            original = originals.get(stored)
            if entry.problem is not None or original is None:
                yield entry
                continue
            origin = Origin(extracted_as=entry.spec)
            yield replace(entry, spec=backup.spec.descend(original), origin=origin)
