"""Rich progress bars for long jobs (scans, imports)."""

from __future__ import annotations

from types import TracebackType

from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from kavach.cli.context import err


class ScanProgress:
    """Items (top-level files) examined, as a bar with an ETA."""

    def __init__(self, label: str) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=False,
        )
        self._label = label
        self._task: TaskID | None = None

    def __enter__(self) -> ScanProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def start(self, total: int, completed: int) -> None:
        self._task = self._progress.add_task(
            self._label, total=total, completed=completed
        )

    def advance(self, items: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, items)


class CountProgress:
    """A running count for jobs whose total is unknown (entries of a streamed list)."""

    def __init__(self, label: str) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,} entries"),
            TimeElapsedColumn(),
            console=err,
        )
        self._task = self._progress.add_task(label, total=None)

    def __enter__(self) -> CountProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def update(self, count: int) -> None:
        self._progress.update(self._task, completed=count)


class ByteProgress:
    """Bytes read of a known total (hashing a forensic image)."""

    def __init__(self, label: str) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
        )
        self._task = self._progress.add_task(label, total=None)

    def __enter__(self) -> ByteProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def update(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=total)
