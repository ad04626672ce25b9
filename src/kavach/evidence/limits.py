"""Limits that keep a hostile archive (a decompression bomb) from sinking a scan.

Three budgets, each naming its setting when it stops something:

- a **member** may not expand past ``max_member_bytes`` or ``max_ratio`` times its
  compressed size: it is skipped, the archive read on;
- an **archive** may not expand past ``max_ratio`` times its own size: the rest of
  it is not read (what a nested archive expands to is charged to that archive, not
  to its parent);
- the **tree** below the outermost archive of a walked item (every level of nested
  archives together) may not expand past ``max_ratio`` times that archive's size,
  hold more than ``max_members`` members or take longer than ``max_seconds``: the
  rest of the tree is not read. This is what stops a 42.zip, whose every level is
  a modest ratio but whose levels multiply.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class Limits:
    max_depth: int = 8
    max_member_bytes: int = 8 * 1024**3
    max_ratio: float = 250.0
    ratio_floor_bytes: int = 16 * 1024**2
    max_members: int = 1_000_000
    max_seconds: float = 900.0


class BombError(Exception):
    """An archive expands past a limit.

    ``whole_archive`` and ``whole_tree`` say how much stops: a member too large is
    skipped and the archive read on; an archive past its budget is not read
    further; a tree past its budget is not read further at any level.
    """

    def __init__(
        self, message: str, whole_archive: bool, whole_tree: bool = False
    ) -> None:
        super().__init__(message)
        self.whole_archive = whole_archive or whole_tree
        self.whole_tree = whole_tree


class TreeBudget:
    """Bytes, members and time spent below the outermost archive of a walked item."""

    def __init__(
        self,
        limits: Limits,
        root_size: int,
        root_name: str = "it",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits
        self.root_size = max(root_size, 1)
        self.root_name = root_name
        self.expanded = 0
        self.members = 0
        self._clock = clock
        self._started = clock()

    def charge(self, count: int) -> None:
        self.expanded += count
        limits = self.limits
        ratio = self.expanded / self.root_size
        if self.expanded > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise BombError(
                f"the archives nested in {self.root_name} expand {ratio:.0f}x its size "
                f"(limit {limits.max_ratio:.0f}x, KAVACH_ARCHIVE_MAX_RATIO)",
                whole_archive=True,
                whole_tree=True,
            )
        spent = self._clock() - self._started
        if spent > limits.max_seconds:
            raise BombError(
                f"reading the archives nested in {self.root_name} took over "
                f"{limits.max_seconds:.0f} s (KAVACH_ARCHIVE_MAX_SECONDS)",
                whole_archive=True,
                whole_tree=True,
            )

    def count_member(self) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise BombError(
                f"the archives nested in {self.root_name} hold over "
                f"{self.limits.max_members:,} "
                "members (KAVACH_ARCHIVE_MAX_MEMBERS)",
                whole_archive=True,
                whole_tree=True,
            )


class ExpansionBudget:
    """Bytes expanded from one archive, against its own size (and its tree's)."""

    def __init__(self, limits: Limits, archive_size: int, tree: TreeBudget) -> None:
        self.limits = limits
        self.archive_size = archive_size
        self.tree = tree
        self.expanded = 0

    def most_expanded(self) -> int:
        """The most this archive may expand to before it counts as a bomb."""
        by_ratio = int(self.archive_size * self.limits.max_ratio)
        return max(self.limits.ratio_floor_bytes, by_ratio)

    def charge(self, count: int) -> None:
        # This archive's own ratio first: for the outermost archive both budgets
        # measure the same bytes, and "this archive" is the plainer message.
        self.expanded += count
        floor = self.limits.ratio_floor_bytes
        ratio = self.expanded / self.archive_size
        if self.expanded > floor and ratio > self.limits.max_ratio:
            raise BombError(
                f"expands {ratio:.0f}x its archive's size "
                f"(limit {self.limits.max_ratio:.0f}x, KAVACH_ARCHIVE_MAX_RATIO)",
                whole_archive=True,
            )
        self.tree.charge(count)


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
