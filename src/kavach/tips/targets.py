"""Grouping tips into targets: tips whose reported persons share an identifier.

Only reported persons' identifiers join tips (never the reporter's, never the
provider's). An IP address or an ISP subscriber never joins tips by itself: a
cyber café or a family connection would fuse strangers; those show as "same
connection" links between targets instead (``connection_links``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class _UnionFind:
    def __init__(self) -> None:
        self._parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        parent = self._parent.setdefault(item, item)
        while parent != self._parent[parent]:
            self._parent[parent] = self._parent[self._parent[parent]]
            parent = self._parent[parent]
        self._parent[item] = parent
        return parent

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self._parent[max(root_a, root_b)] = min(root_a, root_b)


def group_tips(keys_by_tip: Mapping[int, Iterable[str]]) -> list[list[int]]:
    """Tips in groups (each sorted, groups by first tip): shared key = same group."""
    union = _UnionFind()
    first_tip: dict[str, int] = {}
    for tip_id in sorted(keys_by_tip):
        union.find(tip_id)
        for key in keys_by_tip[tip_id]:
            if key in first_tip:
                union.union(first_tip[key], tip_id)
            else:
                first_tip[key] = tip_id
    groups: dict[int, list[int]] = defaultdict(list)
    for tip_id in sorted(keys_by_tip):
        groups[union.find(tip_id)].append(tip_id)
    return sorted(groups.values(), key=lambda tips: tips[0])


def assign_targets(
    groups: list[list[int]], current: Mapping[int, int | None]
) -> list[int | None]:
    """The target id each group keeps (None: it needs a new one).

    A group keeps the oldest target any of its tips already had, so targets stay
    stable as tips arrive; when groups split, the largest part keeps the id.
    """
    claimed: set[int] = set()
    chosen: list[int | None] = [None] * len(groups)
    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), groups[i][0]))
    for index in order:
        candidates = sorted(
            {t for tip in groups[index] if (t := current.get(tip)) is not None}
        )
        for candidate in candidates:
            if candidate not in claimed:
                claimed.add(candidate)
                chosen[index] = candidate
                break
    return chosen


@dataclass(frozen=True, slots=True)
class ConnectionLink:
    """Two targets seen on one connection: the same IP, or the same subscriber."""

    target_a: int
    target_b: int
    via: str  # "ip 203.0.113.7" or "subscriber Kavitha Stores, ..."


def connection_links(
    connections_by_target: Mapping[int, Iterable[str]],
) -> list[ConnectionLink]:
    """Every pair of targets sharing a connection, once per connection."""
    targets_by_connection: dict[str, set[int]] = defaultdict(set)
    for target_id, connections in connections_by_target.items():
        for connection in connections:
            targets_by_connection[connection].add(target_id)
    links: list[ConnectionLink] = []
    for via, targets in sorted(targets_by_connection.items()):
        ordered = sorted(targets)
        for i, a in enumerate(ordered):
            links.extend(ConnectionLink(a, b, via) for b in ordered[i + 1 :])
    return links
