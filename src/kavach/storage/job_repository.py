"""Background jobs in the database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update
from sqlalchemy.exc import OperationalError

from kavach.jobs.model import JobKind, JobStatus, JobView
from kavach.storage.database import new_id
from kavach.storage.job_tables import background_job as job


def _now() -> datetime:
    return datetime.now(UTC)


class SqlJobRepository:
    """Implements ``kavach.jobs.ports.JobRepository``."""

    def __init__(self, engine: Engine, progress_engine: Engine | None = None) -> None:
        self._engine = engine
        # SQLite has one writer: while an import holds its transaction, a progress
        # update would wait for it. Progress goes through an engine that does not
        # wait, and is skipped when the database is busy (the next one lands).
        self._progress_engine = progress_engine or engine

    def create(
        self, kind: JobKind, label: str, started_by: str, unit: str, owner: str
    ) -> int:
        with self._engine.begin() as connection:
            return new_id(
                connection.execute(
                    insert(job).values(
                        kind=kind.value,
                        status=JobStatus.QUEUED.value,
                        label=label,
                        started_by=started_by,
                        created_at=_now(),
                        unit=unit,
                        owner=owner,
                    )
                )
            )

    def mark_running(self, job_id: int) -> None:
        self._set(job_id, status=JobStatus.RUNNING.value, started_at=_now())

    def progress(self, job_id: int, done: int, total: int | None) -> bool:
        try:
            with self._progress_engine.begin() as connection:
                connection.execute(
                    update(job).where(job.c.id == job_id).values(done=done, total=total)
                )
        except OperationalError:  # SQLite busy: another writer holds the database
            return False
        return True

    def keep_result(self, job_id: int, result: dict[str, Any]) -> None:
        self._set(job_id, result=json.dumps(result, sort_keys=True))

    def finish(
        self,
        job_id: int,
        status: JobStatus,
        message: str | None,
        result: dict[str, Any],
    ) -> None:
        self._set(
            job_id,
            status=status.value,
            message=message,
            result=json.dumps(result, sort_keys=True),
            finished_at=_now(),
        )

    def _set(self, job_id: int, **values: Any) -> None:
        with self._engine.begin() as connection:
            connection.execute(update(job).where(job.c.id == job_id).values(**values))

    def get(self, job_id: int) -> JobView | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(job).where(job.c.id == job_id)).first()
        return None if row is None else _view(row)

    def recent(self, started_by: str | None, limit: int) -> list[JobView]:
        query = select(job).order_by(job.c.id.desc()).limit(limit)
        if started_by is not None:
            query = query.where(job.c.started_by == started_by)
        with self._engine.connect() as connection:
            return [_view(r) for r in connection.execute(query)]

    def unfinished(self) -> list[JobView]:
        query = select(job).where(
            job.c.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value])
        )
        with self._engine.connect() as connection:
            return [_view(r) for r in connection.execute(query)]


def _view(row: Row[Any]) -> JobView:
    return JobView(
        id=row.id,
        kind=JobKind(row.kind),
        status=JobStatus(row.status),
        label=row.label,
        started_by=row.started_by,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        done=row.done,
        total=row.total,
        unit=row.unit,
        message=row.message,
        result=json.loads(row.result),
        owner=row.owner,
    )
