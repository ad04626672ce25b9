"""What a background job is: its kind, its state, and how far it has come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class JobKind(StrEnum):
    LIST_IMPORT = "list_import"
    SCAN = "scan"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    # The server process that ran it stopped (restart, crash) before it ended.
    INTERRUPTED = "interrupted"

    @property
    def finished(self) -> bool:
        return self not in (JobStatus.QUEUED, JobStatus.RUNNING)


@dataclass(frozen=True, slots=True)
class JobView:
    """One job as a page or the API shows it."""

    id: int
    kind: JobKind
    status: JobStatus
    label: str
    started_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    done: int
    total: int | None
    unit: str
    message: str | None
    result: dict[str, Any]
    owner: str

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status is JobStatus.DONE else None
        return min(100, round(100 * self.done / self.total))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "status": self.status.value,
            "label": self.label,
            "started_by": self.started_by,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "done": self.done,
            "total": self.total,
            "unit": self.unit,
            "percent": self.percent,
            "message": self.message,
            "result": self.result,
        }
