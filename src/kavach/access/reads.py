"""Paged reads of the unit's records for the API and the pages (a port: storage
implements it), each narrowed to what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kavach.access.policy import Visibility

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Paging:
    """Which page: ``limit`` rows after record ``after`` (keyset paging: as fast
    deep in the list as at its top), or after skipping ``offset`` rows."""

    limit: int = 50
    offset: int = 0
    after: int | None = None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Row]
    total: int  # exact on the first page; beside later pages at most a minute old
    limit: int
    offset: int
    after: int | None = None
    next_after: int | None = None  # the id to ask ``after=`` for the next page


class RecordQueries(Protocol):
    def tips(self, scope: Visibility, paging: Paging) -> Page: ...
    def tip(self, scope: Visibility, tip_id: int) -> Row | None: ...
    def targets(self, scope: Visibility, paging: Paging) -> Page: ...
    def cases(self, scope: Visibility, paging: Paging) -> Page: ...
    def case(self, scope: Visibility, case_id: int) -> Row | None: ...
    def exhibits(self, scope: Visibility, paging: Paging) -> Page: ...
    def exhibit(self, scope: Visibility, exhibit_id: int) -> Row | None: ...
    def hits(self, scope: Visibility, paging: Paging) -> Page: ...
    def persons(self, scope: Visibility, paging: Paging) -> Page: ...
    def person(self, scope: Visibility, person_id: int) -> Row | None: ...
    def audit(self, paging: Paging, actor: str | None) -> Page: ...
