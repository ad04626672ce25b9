"""What reports and exports read (implemented in ``kavach.storage``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from kavach.reporting.rows import FileRow, HitRow, RunRow, VerificationRow, WarningRow


class ReportQueries(Protocol):
    """Read-only views of one scan run, in walk order."""

    def run(self, scan_id: str) -> RunRow: ...

    def files(self, scan_id: str) -> Iterator[FileRow]: ...

    def hits(self, scan_id: str) -> list[HitRow]: ...

    def warnings(self, scan_id: str) -> list[WarningRow]: ...

    def counts(self, scan_id: str) -> dict[str, int]: ...

    def verifications(self, scan_id: str) -> list[VerificationRow]: ...
