"""What the messaging apps on a phone extraction say: ``kavach phone apps``.

Also the signs that the device was reset before it was seized (``resets``).

Reads every messaging database under a folder (read-only), and looks each media
record's SHA-256 up in the current alert lists: a listed file a chat once carried
is a *known file, once present* even when the file itself is gone from the phone.
Audited, because the result names people (owners, contacts, group members).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kavach.audit.ports import AuditLog
from kavach.errors import InputError
from kavach.vocabulary import Algorithm

if TYPE_CHECKING:
    from kavach.examination.messaging.model import AppRecords, MediaRecord
    from kavach.examination.messaging.ports import PhoneRepository
    from kavach.examination.resets import ResetSign
    from kavach.hashsets.ports import HashsetRepository


@dataclass(frozen=True)
class KnownMedia:
    """A media record whose file a list holds: the chat, sender and time it came."""

    media: MediaRecord
    database: str
    lists: list[dict[str, str | None]]


@dataclass
class MessagingReport:
    folder: str
    apps: list[AppRecords] = field(default_factory=list)
    known: list[KnownMedia] = field(default_factory=list)
    resets: list[ResetSign] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extraction_id: int | None = None  # set when filed on a seized device


class MessagingService:
    def __init__(
        self,
        hashsets: HashsetRepository,
        index_root: Path,
        audit: AuditLog,
        phones: PhoneRepository | None = None,
    ) -> None:
        self._hashsets = hashsets
        self._index_root = index_root
        self._audit = audit
        self._phones = phones

    def read_extraction(
        self, folder: Path, actor: str, device: str | None = None
    ) -> MessagingReport:
        """Read an extraction; with ``device`` (a seized device's label) file what
        it says on that device too: accounts, groups, reset signs, known media."""
        report = self._read(folder)
        if device is not None:
            if self._phones is None:
                raise InputError("filing phone records needs the database")
            report.extraction_id = self._phones.file(
                device,
                report.folder,
                report.apps,
                [(k.media, k.lists) for k in report.known],
                report.resets,
                report.warnings,
                actor,
            )
        self._audit.record(
            actor,
            "messaging.file" if device else "messaging.read",
            str(folder),
            {
                "device": device,
                "extraction": report.extraction_id,
                "databases": [d for a in report.apps for d in a.databases],
                "groups": sum(len(a.groups) for a in report.apps),
                "contacts": sum(len(a.contacts) for a in report.apps),
                "known_media": len(report.known),
                "resets": len(report.resets),
                "warnings": len(report.warnings),
            },
        )
        return report

    def _read(self, folder: Path) -> MessagingReport:
        from kavach.examination.messaging import databases_among, default_readers
        from kavach.examination.resets import resets_among
        from kavach.services.known_digests import find_in_lists

        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder (give an extraction's folder)")
        paths = sorted(folder.rglob("*"))  # one walk for databases and reset signs
        report = MessagingReport(str(folder), resets=resets_among(paths))
        databases, report.warnings = databases_among(paths, default_readers())
        for path, reader in databases:
            records = reader.read(path)
            report.apps.append(records)
            report.warnings += records.warnings
        wanted = {
            (Algorithm.SHA256, m.sha256)
            for a in report.apps
            for m in a.media
            if m.sha256
        }
        found = find_in_lists(self._hashsets, self._index_root, wanted)
        for app in report.apps:
            for media in app.media:
                lists = found.get((Algorithm.SHA256, media.sha256 or ""), [])
                if lists:
                    report.known.append(KnownMedia(media, app.databases[0], lists))
        return report
