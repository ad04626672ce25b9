"""What the job service needs from storage."""

from __future__ import annotations

from typing import Any, Protocol

from kavach.jobs.model import JobKind, JobStatus, JobView


class JobRepository(Protocol):
    def create(
        self, kind: JobKind, label: str, started_by: str, unit: str, owner: str
    ) -> int: ...

    def mark_running(self, job_id: int) -> None: ...

    def progress(self, job_id: int, done: int, total: int | None) -> bool:
        """Write how far a job has come; False when the database was busy and
        the update skipped (SQLite, while an import holds it)."""
        ...

    def keep_result(self, job_id: int, result: dict[str, Any]) -> None: ...

    def finish(
        self,
        job_id: int,
        status: JobStatus,
        message: str | None,
        result: dict[str, Any],
    ) -> None: ...

    def get(self, job_id: int) -> JobView | None: ...

    def recent(self, started_by: str | None, limit: int) -> list[JobView]: ...

    def unfinished(self) -> list[JobView]: ...
