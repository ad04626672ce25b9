"""What a scan needs from storage (implemented in ``kavach.storage``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kavach.evidence.records import FileResult, WarningResult
from kavach.hashsets.model import Role
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
    status: str
    checkpoint: int
    settings: dict[str, Any]
    versions: tuple[ScanListVersion, ...]


class ScanRepository(Protocol):
    def ensure_exhibit(
        self, case_ref: str | None, label: str, path: str, actor: str
    ) -> int: ...

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

    def get_run(self, scan_id: str) -> ScanRunInfo: ...

    def write_batch(
        self,
        scan_id: str,
        files: Sequence[FileResult],
        matches: Sequence[Match],
        warnings: Sequence[WarningResult],
        checkpoint: int,
    ) -> None: ...

    def set_status(
        self, scan_id: str, status: str, integrity_sha256: str | None = None
    ) -> None: ...

    def top_level_digests(self, scan_id: str) -> list[tuple[bytes, str]]: ...
