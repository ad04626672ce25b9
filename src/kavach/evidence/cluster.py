"""Examining on a Dask distributed cluster (``kavach scan --cluster tcp://HOST:8786``).

The workers must see the evidence and the list index folders at the same paths as
this machine (a shared or mounted file system); they send back records, never file
contents. Work goes out in small batches with a bounded number in flight, and the
results are taken back in order, so the database sees the same sequence of commits
as a local scan and a killed scan resumes the same way.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from kavach.errors import ConfigError
from kavach.evidence.examine import ExamineConfig
from kavach.evidence.executors import Job, examine_batch
from kavach.evidence.records import ItemResult

BATCH_JOBS = 8


class DaskExecutor:
    def __init__(self, address: str, batches_per_worker: int = 3) -> None:
        self._address = address
        self._per_worker = batches_per_worker

    def _client(self) -> Any:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ConfigError(
                "--cluster needs the 'cluster' extra (dask distributed)"
            ) from exc
        try:
            return Client(self._address, timeout=30)  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {self._address}: {exc}"
            ) from None

    def run(
        self, configs: Sequence[ExamineConfig], jobs: Iterable[Job]
    ) -> Iterator[tuple[Job, ItemResult]]:
        client = self._client()
        try:
            workers = max(len(client.scheduler_info().get("workers", {})), 1)
            window = workers * self._per_worker
            shared = client.scatter(list(configs), broadcast=True)
            pending: deque[tuple[list[Job], Any]] = deque()
            source = iter(jobs)
            while batch := list(islice(source, BATCH_JOBS)):
                pending.append(
                    (batch, client.submit(_examine, shared, batch, pure=False))
                )
                while len(pending) >= window:
                    yield from _collect(pending.popleft())
            while pending:
                yield from _collect(pending.popleft())
        finally:
            client.close()


def _examine(configs: list[ExamineConfig], batch: list[Job]) -> list[ItemResult]:
    return examine_batch(configs, batch)


def _collect(entry: tuple[list[Job], Any]) -> Iterator[tuple[Job, ItemResult]]:
    batch, future = entry
    yield from zip(batch, future.result(), strict=True)
