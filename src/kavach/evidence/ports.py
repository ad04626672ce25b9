"""What scans, exhibits and hit reviews need from storage (``kavach.storage``).

Services and adapters see only these; ``bootstrap.py`` hands them the SQL
implementations.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from kavach.vocabulary import AgeBand, Review, Role, ScanStatus

if TYPE_CHECKING:  # annotations only: keeps the ports cheap to import
    from kavach.evidence.intake import Check, ImageFacts, RegisteredImage
    from kavach.evidence.records import FileResult, WarningResult
    from kavach.hashsets.ports import HashsetInfo
    from kavach.matching.matcher import Match


@dataclass(frozen=True, slots=True)
class ScanListVersion:
    """A list version a scan matches against (fixed when the scan starts)."""

    version_id: int
    uid: str
    name: str
    label: str
    role: Role
    pdq_threshold: int | None

    @classmethod
    def current(cls, infos: Sequence[HashsetInfo]) -> list[ScanListVersion]:
        """The current version of every list that has one."""
        return [
            cls(
                i.version_id,
                i.version_uid or "",
                i.name,
                i.version_label or "",
                i.role,
                i.pdq_threshold,
            )
            for i in infos
            if i.version_id is not None
        ]


@dataclass(frozen=True, slots=True)
class ScanRunInfo:
    id: str
    exhibit_id: int
    root_bytes: bytes
    status: ScanStatus
    checkpoint: int
    settings: dict[str, Any]
    versions: tuple[ScanListVersion, ...]


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One scan run as ``kavach runs`` lists it."""

    id: str
    status: ScanStatus
    exhibit: str
    case_ref: str | None
    started_by: str
    started_at: datetime
    finished_at: datetime | None
    host: str | None = None  # the process that marked it running
    pid: int | None = None

    def gone(self) -> bool:
        """True for a run marked running whose process, on this host, is dead
        (killed with -9, or the machine restarted): it will never finish by itself.
        A run on another host cannot be checked from here and is not called gone.
        """
        if self.status is not ScanStatus.RUNNING or self.pid is None:
            return False
        if self.host != socket.gethostname()[:255]:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, under another user
            return False
        return False


@dataclass(frozen=True, slots=True)
class HitReview:
    """An examiner's decision on one hit."""

    hit_id: int
    scan_id: str
    decision: Review
    note: str | None
    by: str | None
    category: str | None = None  # the examiner's, per the list's scheme
    age_band: AgeBand | None = None
    self_produced: bool | None = None
    at: datetime | None = None


class ScanRepository(Protocol):
    """Exhibits, scan runs and what scans write; one transaction a call."""

    def ensure_exhibit(
        self, case_ref: str | None, label: str, path: str, actor: str
    ) -> int:
        """The exhibit's id, created on first use."""
        ...

    def create_run(
        self,
        scan_id: str,
        exhibit_id: int,
        root_bytes: bytes,
        settings: dict[str, Any],
        tool_version: str,
        actor: str,
        version_ids: Sequence[int],
    ) -> None: ...

    def get_run(self, scan_id: str) -> ScanRunInfo:
        """The run; ``NotFoundError`` for an unknown id."""
        ...

    def latest_run_id(self) -> str:
        """The run started last; ``NotFoundError`` when there is none."""
        ...

    def resolve_run(self, prefix: str) -> str:
        """The run whose id is or starts with ``prefix`` (unique, as git does);
        ``NotFoundError`` if none, ``InputError`` if several."""
        ...

    def runs(self) -> list[RunSummary]:
        """Every scan run, oldest first."""
        ...

    def write_batch(
        self,
        scan_id: str,
        files: Sequence[FileResult],
        matches: Sequence[Match],
        warnings: Sequence[WarningResult],
        checkpoint: int,
    ) -> None:
        """One transaction: the records, hits, warnings and the new checkpoint."""
        ...

    def set_status(
        self, scan_id: str, status: ScanStatus, integrity_sha256: str | None = None
    ) -> None: ...

    def top_level_digests(self, scan_id: str) -> list[tuple[bytes, str]]:
        """(path bytes, SHA-256) of the walked files, sorted by path."""
        ...


class ImageRepository(Protocol):
    """Registered forensic images and every integrity check made on them."""

    def register(
        self, facts: ImageFacts, case_ref: str | None, label: str, actor: str
    ) -> RegisteredImage:
        """The image's record, created on first registration."""
        ...

    def record_checks(
        self,
        image_id: int,
        stage: str,
        checks: Sequence[Check],
        scan_id: str | None = None,
    ) -> None: ...

    def find(self, path: str) -> RegisteredImage | None:
        """The image registered at exactly ``path``, if any."""
        ...

    def under(self, root: str) -> list[RegisteredImage]:
        """Registered images at ``root`` or inside the folder ``root``."""
        ...
