"""Long jobs started from the web: a list import or a scan runs on a thread of the
server process while its row in ``background_job`` says how far it has come.

The page that started a job can be reloaded, or opened from another server
process, and shows the same progress: it reads the row, not this process's memory.
A job whose process stopped (a restart, a crash) is marked interrupted when the
next server starts; an interrupted scan can be resumed from its checkpoint, an
interrupted import left nothing behind (an import is all or nothing).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from kavach.access.principal import Principal
from kavach.access.roles import UserRole
from kavach.audit.ports import AuditLog
from kavach.errors import InputError, KavachError, NotFoundError
from kavach.hashsets.importer import ImportOptions
from kavach.jobs.model import JobKind, JobStatus, JobView
from kavach.jobs.ports import JobRepository
from kavach.services.hashsets import HashsetService
from kavach.services.scans import ScanService

log = logging.getLogger(__name__)
# Progress is written at most this often: a row update per entry would cost more
# than the import.
PROGRESS_EVERY_S = 0.5
SEES_ALL = frozenset({UserRole.ADMINISTRATOR, UserRole.SUPERVISOR})


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(owner: str) -> bool | None:
    """Whether the process named ``host:pid`` runs; None for another host's."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # runs, as another user
        return True
    return True


class Reporter:
    """How far a job has come, written to its row now and then."""

    def __init__(
        self, jobs: JobRepository, job_id: int, live: dict[int, tuple[int, int | None]]
    ) -> None:
        self._jobs = jobs
        self._job_id = job_id
        self._live = live
        self._last = 0.0
        self.done = 0
        self.total: int | None = None

    def set(self, done: int, total: int | None = None, force: bool = False) -> None:
        self.done = done
        if total is not None:
            self.total = total
        # This process's pages read it at once, even when the row must wait.
        self._live[self._job_id] = (self.done, self.total)
        now = time.monotonic()
        if force or now - self._last >= PROGRESS_EVERY_S:
            if self._jobs.progress(self._job_id, self.done, self.total):
                self._last = now


class _ScanProgress:
    """The scan engine's ``Progress``, told to the job's row."""

    def __init__(self, reporter: Reporter) -> None:
        self._reporter = reporter

    def start(self, total: int, completed: int) -> None:
        self._reporter.set(completed, total, force=True)

    def advance(self, items: int) -> None:
        self._reporter.set(self._reporter.done + items)

    def committed(self, scan_id: str, checkpoint: int) -> None:
        self._reporter.set(self._reporter.done, force=True)


@dataclass(frozen=True, slots=True)
class ListUpload:
    """A hash list sent from the browser, and how to import it."""

    filename: str
    stream: BinaryIO
    options: ImportOptions


class JobService:
    def __init__(
        self,
        jobs: JobRepository,
        hashsets: HashsetService,
        scans: ScanService,
        audit: AuditLog,
        uploads: Path,
        reports: Path,
        evidence_root: Path | None,
    ) -> None:
        self._jobs = jobs
        self._hashsets = hashsets
        self._scans = scans
        self._audit = audit
        self._uploads = uploads
        self._reports = reports
        self._evidence_root = evidence_root
        # One job at a time per server process: two scans side by side would only
        # share the same cores, each slower.
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="kavach-job")
        self._futures: dict[int, Future[None]] = {}
        # (done, total) of this process's running jobs, newer than their rows
        # while SQLite is held by an import.
        self._live: dict[int, tuple[int, int | None]] = {}
        self._owner = this_process()

    # ---- starting ----

    def start_list_import(self, upload: ListUpload, actor: str) -> int:
        """Keep the uploaded file under the data folder (the unit's record of what
        was imported), then import it in the background; returns the job id."""
        name = Path(upload.filename or "list").name or "list"
        folder = self._uploads / uuid.uuid4().hex
        folder.mkdir(parents=True)
        path = folder / name
        with path.open("wb") as out:
            while block := upload.stream.read(1 << 20):
                out.write(block)

        def work(reporter: Reporter, job_id: int) -> dict[str, Any]:
            result = self._hashsets.import_list(
                path, upload.options, actor, lambda n: reporter.set(n)
            )
            info = result.info
            reporter.set(info.entry_count, info.entry_count, force=True)
            return {
                "list": info.name,
                "version": info.version_label,
                "entries": info.entry_count,
                "format": result.format,
                "warnings": len(result.warnings),
                "unchanged": result.unchanged,
            }

        return self._submit(JobKind.LIST_IMPORT, name, "entries", actor, work)

    def start_scan(
        self, relative: str, exhibit: str | None, case_ref: str | None, actor: str
    ) -> int:
        """Scan a path of the evidence store in the background; returns the job id."""
        path = self._evidence_path(relative)
        scan_id = self._scans.start(path, actor, case_ref, exhibit or None)
        return self._submit_scan(scan_id, str(path), actor)

    def resume_scan(self, job_id: int, reader: Principal) -> int:
        """A new job running an interrupted scan on from its checkpoint."""
        old = self.get(job_id, reader)
        scan_id = old.result.get("scan")
        if old.kind is not JobKind.SCAN or old.status is not JobStatus.INTERRUPTED:
            raise InputError(f"job {job_id} is not an interrupted scan")
        if not isinstance(scan_id, str):
            raise InputError(f"job {job_id} holds no scan to resume")
        if "resumed_as" in old.result:
            raise InputError(
                f"job {job_id} was resumed already, as job {old.result['resumed_as']}"
            )
        self._scans.resume(scan_id, reader.name)
        new_id = self._submit_scan(scan_id, old.label, reader.name)
        self._jobs.keep_result(job_id, {**old.result, "resumed_as": new_id})
        return new_id

    def _submit_scan(self, scan_id: str, label: str, actor: str) -> int:
        def work(reporter: Reporter, job_id: int) -> dict[str, Any]:
            self._jobs.progress(job_id, 0, None)
            self._scans.run([scan_id], progress=_ScanProgress(reporter))
            outcome = self._scans.finish(scan_id, actor)
            self._scans.write_outputs(scan_id, self._reports / scan_id, actor)
            return {
                "scan": scan_id,
                "exhibit": outcome.exhibit,
                **outcome.counts,
                "integrity": outcome.integrity,
                "images_ok": outcome.images_ok,
            }

        return self._submit(
            JobKind.SCAN, label, "items", actor, work, {"scan": scan_id}
        )

    def _evidence_path(self, relative: str) -> Path:
        root = self._evidence_root
        if root is None:
            raise InputError(
                "scans from the web read the lab's evidence store, and none is set: "
                "set KAVACH_EVIDENCE_ROOT on the server"
            )
        base = root.resolve()
        path = (base / relative.strip().lstrip("/")).resolve()
        if not path.is_relative_to(base):
            raise InputError(f"{relative!r} is outside the evidence store")
        if not path.exists():
            raise InputError(f"{relative!r}: no such file or folder in the store")
        return path

    def _submit(
        self,
        kind: JobKind,
        label: str,
        unit: str,
        actor: str,
        work: Callable[[Reporter, int], dict[str, Any]],
        known: dict[str, Any] | None = None,
    ) -> int:
        job_id = self._jobs.create(kind, label, actor, unit, self._owner)
        if known:
            # What a resume needs, kept before the work starts.
            self._jobs.keep_result(job_id, known)
        self._audit.record(
            actor, "job.start", str(job_id), {"kind": kind, "label": label}
        )
        self._futures[job_id] = self._pool.submit(self._run, job_id, actor, work)
        return job_id

    def _run(
        self,
        job_id: int,
        actor: str,
        work: Callable[[Reporter, int], dict[str, Any]],
    ) -> None:
        self._jobs.mark_running(job_id)
        reporter = Reporter(self._jobs, job_id, self._live)
        try:
            result = work(reporter, job_id)
        except KavachError as error:
            self._failed(job_id, actor, str(error))
        except Exception as error:  # a job must end in a state, never just vanish
            log.exception("background job %s failed", job_id)
            self._failed(job_id, actor, f"{type(error).__name__}: {error}")
        else:
            reporter.set(reporter.done, force=True)
            self._jobs.finish(job_id, JobStatus.DONE, None, result)
        finally:
            self._futures.pop(job_id, None)
            self._live.pop(job_id, None)

    def _failed(self, job_id: int, actor: str, message: str) -> None:
        known = self._jobs.get(job_id)
        self._jobs.finish(
            job_id, JobStatus.FAILED, message, known.result if known else {}
        )
        self._audit.record(actor, "job.failed", str(job_id), {"message": message})

    # ---- reading ----

    def get(self, job_id: int, reader: Principal) -> JobView:
        """A job its starter, an administrator or a supervisor may see."""
        found = self._jobs.get(job_id)
        if found is None or not self._sees(reader, found):
            raise NotFoundError(f"no job {job_id}")
        return self._with_live(found)

    def recent(self, reader: Principal, limit: int = 50) -> list[JobView]:
        who = None if reader.role in SEES_ALL else reader.name
        return [self._with_live(j) for j in self._jobs.recent(who, limit)]

    def _with_live(self, job: JobView) -> JobView:
        live = self._live.get(job.id)
        if live is None or job.status.finished:
            return job
        return replace(job, done=live[0], total=live[1])

    @staticmethod
    def _sees(reader: Principal, job: JobView) -> bool:
        return reader.role in SEES_ALL or job.started_by == reader.name

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        """Until this process's job ``job_id`` ends (for the demo and tests)."""
        future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout)

    # ---- after a restart ----

    def mark_interrupted(self) -> int:
        """Mark jobs whose server process on this host is gone; returns how many."""
        marked = 0
        for found in self._jobs.unfinished():
            if found.id in self._futures or _alive(found.owner) is not False:
                continue
            self._jobs.finish(
                found.id,
                JobStatus.INTERRUPTED,
                "the server process stopped before the job ended",
                found.result,
            )
            self._audit.record(
                "kavach", "job.interrupted", str(found.id), {"owner": found.owner}
            )
            marked += 1
        return marked

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
