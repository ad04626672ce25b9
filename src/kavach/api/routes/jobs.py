"""GET /api/jobs and /api/jobs/{job_id}: background jobs (list imports, scans) and
how far each has come — what a script polls after starting one from the web."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from kavach.access.policy import Permission
from kavach.api.deps import KavachDep, PrincipalDep

router = APIRouter(prefix="/api", tags=["jobs"])


@router.get("/jobs")
def list_jobs(kavach: KavachDep, reader: PrincipalDep) -> list[dict[str, Any]]:
    """The 50 newest jobs the caller started (every job, for a supervisor)."""
    kavach.services.records.require(reader, Permission.JOBS_READ)
    return [job.as_json() for job in kavach.services.jobs.recent(reader)]


@router.get("/jobs/{job_id}")
def read_job(job_id: int, kavach: KavachDep, reader: PrincipalDep) -> dict[str, Any]:
    """One job: state, progress (done / total, percent), and its result."""
    kavach.services.records.require(reader, Permission.JOBS_READ)
    return kavach.services.jobs.get(job_id, reader).as_json()
