"""What the directory service needs from storage, and what it hands over."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kavach.entities.grouping import Decisions
from kavach.entities.linkage import Link, Record
from kavach.entities.network import Attribution, Contact, GroupSeen, ItemHit
from kavach.entities.profile import Profile
from kavach.entities.vocabulary import DecisionKind, LinkState, RunMode


@dataclass(frozen=True)
class RunRecord:
    """What one run (or decision) wrote."""

    run_id: int
    mode: RunMode
    records: int
    new_records: int
    persons: int
    new_persons: int
    retired: int
    links: int
    pairs_scored: int


@dataclass(frozen=True)
class Filing:
    """A run's result, to be filed: groups with the ids they keep, and links."""

    mode: RunMode
    groups: Mapping[str, str]  # record key -> group name
    kept: Mapping[str, int]  # group name -> filed person id it keeps
    links: Sequence[tuple[Link, LinkState]]
    # Keys a run re-files; other members stay as they are (a decision's regroup).
    scope: frozenset[str] | None = None
    new_records: int = 0
    pairs_scored: int = 0
    threshold: float = 0.0
    model: Mapping[str, Any] | None = None


class DirectoryRepository(Protocol):
    def records(self) -> list[Record]: ...
    def known_links(self) -> list[tuple[str, str, str]]: ...
    def contacts(self) -> list[tuple[str, str]]: ...
    def filed(self) -> dict[str, int]: ...
    def model(self) -> dict[str, Any] | None: ...
    def decisions(self) -> Decisions: ...
    def members(self, person_ids: Iterable[int]) -> dict[str, int]: ...
    def links_among(self, keys: Iterable[str]) -> list[Link]: ...
    def links_of(self, keys: Iterable[str]) -> list[tuple[Link, str]]: ...
    def retired(self, person_id: int) -> tuple[bool, int | None]: ...
    def add_decision(
        self, kind: DecisionKind, pairs: Sequence[tuple[str, str]], reason: str, by: str
    ) -> None: ...
    def file(self, outcome: Filing, by: str) -> RunRecord: ...


class DirectoryQueries(Protocol):
    def profiles(self, person_ids: Iterable[int] | None = None) -> list[Profile]: ...


class NetworkQueries(Protocol):
    def profiles(self) -> list[Profile]: ...
    def members(self) -> dict[str, int]: ...
    def group_members(self) -> list[GroupSeen]: ...
    # ``members`` (record key -> directory person) is read once, by members().
    def items(self, members: Mapping[str, int]) -> list[ItemHit]: ...
    def attributions(self, members: Mapping[str, int]) -> list[Attribution]: ...
    def contacts(self, members: Mapping[str, int]) -> list[Contact]: ...
