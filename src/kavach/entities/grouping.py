"""Links become persons, under the analyst's decisions, with ids that stay put.

Two steps, both pure functions so that the directory's rules can be read and
tested without a database:

``group`` joins records along links, strongest first, but never joins two
records an analyst said are two people ("never these two"), and joins every pair
an analyst confirmed. In an incremental run the persons already filed are
*settled*: a new record joins one of them, and a link that would fuse two settled
persons is not followed but returned as a suggested merge for the analyst.

``stable_ids`` gives each group the id of the filed person most of its records
already belonged to, so a re-run keeps the ids people have written down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kavach.entities.linkage import Link


@dataclass(frozen=True)
class Decisions:
    """The analyst's word on pairs of records (record keys)."""

    together: Sequence[tuple[str, str]] = ()
    apart: Sequence[tuple[str, str]] = ()


@dataclass
class Grouping:
    """Record key -> group key (its first member), and what was held back."""

    groups: dict[str, str]
    # Links not followed because an analyst said "never" somewhere between them.
    refused: list[Link] = field(default_factory=list)
    # Links between two settled persons: (link, person a, person b).
    suggested: list[tuple[Link, int, int]] = field(default_factory=list)


class _Groups:
    """Union-find that remembers, per group, its members' "never" partners and
    the settled person (if any) it is."""

    def __init__(self, apart: Iterable[tuple[str, str]]) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.never: dict[str, set[str]] = {}
        self.person: dict[str, int | None] = {}
        for a, b in apart:
            self.never.setdefault(self.find(a), set()).add(b)
            self.never.setdefault(self.find(b), set()).add(a)

    def find(self, key: str) -> str:
        if key not in self.parent:
            self.parent[key] = key
            self.members[key] = {key}
            self.never.setdefault(key, set())
            self.person[key] = None
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def forbidden(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        small, large = sorted((ra, rb), key=lambda r: len(self.members[r]))
        return not self.never[large].isdisjoint(self.members[small])

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        keep, gone = (
            (ra, rb) if len(self.members[ra]) >= len(self.members[rb]) else (rb, ra)
        )
        self.parent[gone] = keep
        self.members[keep] |= self.members.pop(gone)
        self.never[keep] |= self.never.pop(gone)
        gone_person = self.person.pop(gone)
        if self.person[keep] is None:
            self.person[keep] = gone_person


def _strength(link: Link) -> tuple[int, float]:
    # An identifier link is surer than any score; among scores, the higher first.
    return (1 if link.deterministic else 0, link.match_probability)


def group(
    keys: Iterable[str],
    links: Sequence[Link],
    decisions: Decisions = Decisions(),
    settled: Mapping[str, int] | None = None,
) -> Grouping:
    """Join ``keys`` along ``links`` under ``decisions``; ``settled`` (record key ->
    filed person) fixes the persons an incremental run may add to but not fuse."""
    state = _Groups(decisions.apart)
    result = Grouping({})
    # Only these records are grouped: a decision or link naming a record outside
    # (another person's, in a regroup; one since removed) moves nothing.
    wanted = {*keys, *(settled or {})}
    for key in wanted:
        state.find(key)
    first: dict[int, str] = {}
    for key, person in (settled or {}).items():
        state.person[state.find(key)] = person
        state.union(first.setdefault(person, key), key)
    for a, b in decisions.together:
        if a in wanted and b in wanted and not state.forbidden(a, b):
            state.union(a, b)
    for link in sorted(links, key=_strength, reverse=True):
        if link.left not in wanted or link.right not in wanted:
            continue
        ra, rb = state.find(link.left), state.find(link.right)
        if ra == rb:
            continue
        if state.forbidden(ra, rb):
            result.refused.append(link)
            continue
        pa, pb = state.person[ra], state.person[rb]
        if pa is not None and pb is not None and pa != pb:
            result.suggested.append((link, min(pa, pb), max(pa, pb)))
            continue
        state.union(ra, rb)
    # A group is named by its smallest member: the same whatever the link order.
    names = {
        root: min(members & wanted)
        for root, members in state.members.items()
        if members & wanted
    }
    result.groups = {key: names[state.find(key)] for key in sorted(wanted)}
    return result


def stable_ids(groups: Mapping[str, str], filed: Mapping[str, int]) -> dict[str, int]:
    """Group key -> filed person id it keeps (groups not in the map are new).

    A group keeps the id most of its records were filed under; when a person
    splits, the part holding most of its records keeps the id (ties: the part with
    the smallest member), and the rest are new persons.
    """
    votes: dict[str, Counter[int]] = {}
    for key, name in groups.items():
        if key in filed:
            votes.setdefault(name, Counter())[filed[key]] += 1
    claims = sorted(
        (
            (count, person, name)
            for name, c in votes.items()
            for person, count in c.items()
        ),
        key=lambda claim: (-claim[0], claim[1], claim[2]),
    )
    kept: dict[str, int] = {}
    taken: set[int] = set()
    for _count, person, name in claims:
        if name not in kept and person not in taken:
            kept[name] = person
            taken.add(person)
    return kept
