"""Limits that keep a hostile archive (a decompression bomb) from sinking a scan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class Limits:
    max_depth: int = 8
    max_member_bytes: int = 8 * 1024**3
    max_ratio: float = 250.0
    ratio_floor_bytes: int = 16 * 1024**2


class BombError(Exception):
    """An archive expands past a limit.

    ``whole_archive`` says which: a member too large is skipped and the archive read
    on; an archive expanding past its budget is not read further.
    """

    def __init__(self, message: str, whole_archive: bool) -> None:
        super().__init__(message)
        self.whole_archive = whole_archive


class ExpansionBudget:
    """Bytes expanded from one archive, against its own size."""

    def __init__(self, limits: Limits, archive_size: int) -> None:
        self.limits = limits
        self.archive_size = archive_size
        self.expanded = 0

    def most_expanded(self) -> int:
        """The most this archive may expand to before it counts as a bomb."""
        by_ratio = int(self.archive_size * self.limits.max_ratio)
        return max(self.limits.ratio_floor_bytes, by_ratio)

    def charge(self, count: int) -> None:
        self.expanded += count
        floor = self.limits.ratio_floor_bytes
        ratio = self.expanded / self.archive_size
        if self.expanded > floor and ratio > self.limits.max_ratio:
            raise BombError(
                f"expands {ratio:.0f}x its archive's size "
                f"(limit {self.limits.max_ratio:.0f}x, KAVACH_ARCHIVE_MAX_RATIO)",
                whole_archive=True,
            )


class BudgetReader:
    """A member stream that stops once the member or its archive grows too large."""

    def __init__(
        self,
        stream: BinaryIO,
        budget: ExpansionBudget,
        path: bytes,
        compressed_size: int | None,
    ) -> None:
        self._stream = stream
        self._budget = budget
        self._compressed = compressed_size
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.read_bytes += len(chunk)
        limits = self._budget.limits
        if self.read_bytes > limits.max_member_bytes:
            raise BombError(
                f"member larger than {limits.max_member_bytes:,} bytes "
                "(KAVACH_ARCHIVE_MAX_MEMBER_BYTES)",
                whole_archive=False,
            )
        if (
            self._compressed
            and self.read_bytes > limits.ratio_floor_bytes
            and self.read_bytes / self._compressed > limits.max_ratio
        ):
            raise BombError(
                f"member expands {self.read_bytes / self._compressed:.0f}x "
                f"(limit {limits.max_ratio:.0f}x, KAVACH_ARCHIVE_MAX_RATIO)",
                whole_archive=False,
            )
        self._budget.charge(len(chunk))
        return chunk
