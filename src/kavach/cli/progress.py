"""Rich progress bars for long jobs (scans, imports, image hashing), on stderr."""

from __future__ import annotations

import json
import sys
from types import TracebackType
from typing import Self

from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from kavach.cli.context import err


class _Bar:
    """One Rich progress display with one task, used as a context manager."""

    def __init__(self, label: str, *columns: ProgressColumn) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"), *columns, console=err
        )
        self._label = label
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def _ensure(self, total: float | None, completed: int = 0) -> TaskID:
        if self._task is None:
            self._task = self._progress.add_task(
                self._label, total=total, completed=completed
            )
        return self._task


class ScanProgress(_Bar):
    """Items (walked files) examined, as a bar with an ETA."""

    def __init__(self, label: str) -> None:
        super().__init__(
            label,
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )

    def start(self, total: int, completed: int) -> None:
        self._ensure(total, completed)

    def advance(self, items: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, items)

    def committed(self, scan_id: str, checkpoint: int) -> None:
        return None  # the bar shows items examined; commits follow in batches


class JsonProgress:
    """Scan progress as JSON Lines on stderr, for scripts and supervising tools.

    ``{"event": "start", "total": N, "done": M}``, then one ``{"event":
    "committed", "scan": ID, "checkpoint": K}`` per batch written: a resume of
    that run would start at item K.
    """

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def start(self, total: int, completed: int) -> None:
        self._emit({"event": "start", "total": total, "done": completed})

    def advance(self, items: int) -> None:
        return None

    def committed(self, scan_id: str, checkpoint: int) -> None:
        self._emit({"event": "committed", "scan": scan_id, "checkpoint": checkpoint})

    @staticmethod
    def _emit(event: dict[str, object]) -> None:
        sys.stderr.write(json.dumps(event) + "\n")
        sys.stderr.flush()


class CountProgress(_Bar):
    """A running count for jobs whose total is unknown (entries of a streamed list)."""

    def __init__(self, label: str, unit: str = "entries") -> None:
        super().__init__(
            label,
            SpinnerColumn(),
            TextColumn("{task.completed:,} " + unit),
            TimeElapsedColumn(),
        )

    def update(self, count: int) -> None:
        self._progress.update(self._ensure(None), completed=count)


class ByteProgress(_Bar):
    """Bytes read of a known total (hashing a forensic image)."""

    def __init__(self, label: str) -> None:
        super().__init__(
            label,
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )

    def update(self, done: int, total: int) -> None:
        self._progress.update(self._ensure(total), completed=done, total=total)


class ImageProgress(_Bar):
    """Bytes read of each image in turn (checking images after a scan)."""

    def __init__(self, label: str) -> None:
        super().__init__(
            label,
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
        self._image: str | None = None

    def update(self, image: str, done: int, total: int) -> None:
        if image != self._image:
            self._image, self._task = image, None  # a new bar for the next image
        task = self._ensure(total)
        name = image.rsplit("/", 1)[-1]
        self._progress.update(
            task, completed=done, total=total, description=f"{self._label} {name}"
        )
