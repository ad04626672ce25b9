"""Background jobs in tests: a scan whose server process is gone."""

from __future__ import annotations

import socket

from sqlalchemy import update

from kavach.bootstrap import Kavach
from kavach.jobs.model import JobKind, JobStatus
from kavach.storage.job_repository import SqlJobRepository
from kavach.storage.job_tables import background_job

# A process id no Linux process has (the kernel's limit is 2**22).
DEAD_OWNER = f"{socket.gethostname()}:{2**22 + 1}"


def interrupted_scan(
    kavach: Kavach, actor: str, exhibit: str = "demo", mark: bool = True
) -> int:
    """A scan of the demo's exhibit started by ``actor`` whose job was running
    on a server that stopped; marked interrupted (as the next server would)
    unless ``mark`` is False."""
    root = kavach.settings.evidence_root
    assert root is not None
    scan_id = kavach.services.scans.start(
        root / "exhibit", actor, exhibit=exhibit, allow_empty=True
    )
    jobs = SqlJobRepository(kavach.engine)
    job_id = jobs.create(JobKind.SCAN, "exhibit", actor, "items", DEAD_OWNER)
    jobs.keep_result(job_id, {"scan": scan_id})
    with kavach.engine.begin() as connection:
        connection.execute(
            update(background_job)
            .where(background_job.c.id == job_id)
            .values(status=JobStatus.RUNNING.value)
        )
    if mark:
        kavach.services.jobs.mark_interrupted()
    return job_id
