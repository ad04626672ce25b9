"""Where items are examined: inline, in local worker processes, or on a Dask cluster.

Every executor takes jobs ``(exhibit number, scan item)`` and yields
``(job, result)`` in the order the jobs came, so the writer can commit each exhibit's
items in walk order whatever finished first. Several exhibits' jobs flow through one
set of workers, so a scan of many exhibits keeps every core busy to the end.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from kavach.evidence.examine import ExamineConfig, Examiner
from kavach.evidence.inventory import ScanItem
from kavach.evidence.records import ItemResult

Job = tuple[int, ScanItem]
PR_SET_PDEATHSIG = 1  # linux/prctl.h

_examiners: dict[ExamineConfig, Examiner] = {}
_configs: Sequence[ExamineConfig] = ()


def examiner_for(config: ExamineConfig) -> Examiner:
    """This process's examiner for ``config`` (indexes opened once, then reused)."""
    examiner = _examiners.get(config)
    if examiner is None:
        examiner = _examiners[config] = Examiner(config)
    return examiner


def examine_batch(
    configs: Sequence[ExamineConfig], jobs: Sequence[Job]
) -> list[ItemResult]:
    """Examine ``jobs`` here; the unit of work sent to a worker process or node."""
    return [examiner_for(configs[number]).examine(item) for number, item in jobs]


class Executor(Protocol):
    def run(
        self, configs: Sequence[ExamineConfig], jobs: Iterable[Job]
    ) -> Iterator[tuple[Job, ItemResult]]: ...


class InlineExecutor:
    """Examines in this process: one core, and the simplest to debug."""

    def run(
        self, configs: Sequence[ExamineConfig], jobs: Iterable[Job]
    ) -> Iterator[tuple[Job, ItemResult]]:
        for job in jobs:
            yield job, examine_batch(configs, [job])[0]


def _init_pool(configs: Sequence[ExamineConfig], parent: int) -> None:
    global _configs
    _die_with_parent(parent)
    # A forked worker inherits the parent's Python signal handlers. Under
    # ``kavach serve`` that is uvicorn's SIGTERM handler, which only sets a flag:
    # a worker the pool terminated would live on and the scan would wait for it
    # forever (a web-started scan stuck "running" with every item done).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _configs = configs


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the scan process dies (kill -9, OOM).

    Without it, workers of a killed scan run on as orphans, burning every core.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not available: the worker ends with its last job, as before
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)


def _examine_pooled(batch: list[Job]) -> list[ItemResult]:
    return examine_batch(_configs, batch)


class ProcessExecutor:
    """A pool of local worker processes, one a core by default."""

    def __init__(self, workers: int) -> None:
        self._workers = workers

    def run(
        self, configs: Sequence[ExamineConfig], jobs: Iterable[Job]
    ) -> Iterator[tuple[Job, ItemResult]]:
        pending = list(jobs)
        context = multiprocessing.get_context("fork")
        initargs = (configs, os.getpid())
        pool = context.Pool(self._workers, _init_pool, initargs)
        try:
            batches = batched(pending, self._workers)
            for batch, results in zip(
                batches, pool.imap(_examine_pooled, batches), strict=True
            ):
                yield from zip(batch, results, strict=True)
        except BaseException:
            pool.terminate()
            raise
        # Every job is done: let the workers take their "no more work" and end.
        # terminate() would race them for the queue and signal the ones it beat.
        pool.close()
        pool.join()


BATCH_JOBS = 64  # small files sent to a worker at once, at most
BATCH_BYTES = 8 << 20  # ... and at most this much of them to read


def batched(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Consecutive jobs grouped for one message to a worker.

    A phone's thousands of small files cost a pipe round trip each when sent one
    by one (bench/small_files.py). A batch holds at most ``BATCH_JOBS`` jobs and
    ``BATCH_BYTES`` of files whose size the walk knew; an entry of unknown size
    (inside a disk image) and a large file go alone, so no worker is left with the
    one long batch at the end. Nor does a batch grow past an eighth of a worker's
    share of the jobs.
    """
    most = max(1, min(BATCH_JOBS, len(jobs) // (workers * 8)))
    batches: list[list[Job]] = []
    batch: list[Job] = []
    size = 0
    for job in jobs:
        known = job[1].entry.size
        weight = BATCH_BYTES if known is None else known
        if batch and (len(batch) >= most or size + weight > BATCH_BYTES):
            batches.append(batch)
            batch, size = [], 0
        batch.append(job)
        size += weight
    if batch:
        batches.append(batch)
    return batches


def local_executor(workers: int) -> Executor:
    return InlineExecutor() if workers <= 1 else ProcessExecutor(workers)
