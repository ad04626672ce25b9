"""The directory's tables read and written: runs, persons, members, links, decisions."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update

from kavach.entities.grouping import Decisions
from kavach.entities.linkage import Link, Record
from kavach.entities.ports import Filing, RunRecord
from kavach.entities.vocabulary import DecisionKind, LinkState, RunMode
from kavach.storage.database import new_id
from kavach.storage.directory_sources import (
    contacts,
    device_owner_links,
    person_records,
)
from kavach.storage.directory_tables import (
    directory_decision,
    directory_link,
    directory_member,
    directory_person,
    directory_run,
)
from kavach.storage.timestamps import now as _now


class SqlDirectoryRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # ---- reading ----

    def records(self) -> list[Record]:
        with self._engine.connect() as connection:
            return person_records(connection)

    def contacts(self) -> list[tuple[str, str]]:
        with self._engine.connect() as connection:
            return contacts(connection)

    def known_links(self) -> list[tuple[str, str, str]]:
        """Links that are facts, not scores: (record, record, why)."""
        with self._engine.connect() as connection:
            return [(a, b, "device owner") for a, b in device_owner_links(connection)]

    def filed(self) -> dict[str, int]:
        """Record key -> directory person, for every filed record."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(directory_member.c.record_key, directory_member.c.person_id)
            )
            return {r.record_key: r.person_id for r in rows}

    def model(self) -> dict[str, Any] | None:
        """The model of the last full run (None before the first)."""
        with self._engine.connect() as connection:
            text = connection.execute(
                select(directory_run.c.model)
                .where(directory_run.c.mode == RunMode.FULL.value)
                .order_by(directory_run.c.id.desc())
                .limit(1)
            ).scalar()
        return json.loads(text) if text else None

    def decisions(self) -> Decisions:
        """The latest decision on each pair (a later one supersedes an earlier)."""
        latest: dict[frozenset[str], tuple[str, str, str]] = {}
        with self._engine.connect() as connection:
            for d in connection.execute(
                select(directory_decision).order_by(directory_decision.c.id)
            ):
                latest[frozenset((d.left_key, d.right_key))] = (
                    d.kind,
                    d.left_key,
                    d.right_key,
                )
        together = [(a, b) for k, a, b in latest.values() if k == DecisionKind.TOGETHER]
        apart = [(a, b) for k, a, b in latest.values() if k == DecisionKind.APART]
        return Decisions(together, apart)

    def members(self, person_ids: Iterable[int]) -> dict[str, int]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(directory_member).where(
                    directory_member.c.person_id.in_(list(person_ids))
                )
            )
            return {r.record_key: r.person_id for r in rows}

    def links_among(self, keys: Iterable[str]) -> list[Link]:
        wanted = list(keys)
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(directory_link).where(
                    directory_link.c.left_key.in_(wanted),
                    directory_link.c.right_key.in_(wanted),
                )
            ).all()
        return [_link(r) for r in rows]

    def links_of(self, keys: Iterable[str]) -> list[tuple[Link, str]]:
        """Every stored link touching ``keys``, with its state."""
        wanted = list(keys)
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(directory_link)
                .where(
                    or_(
                        directory_link.c.left_key.in_(wanted),
                        directory_link.c.right_key.in_(wanted),
                    )
                )
                .order_by(directory_link.c.id)
            ).all()
        return [(_link(r), r.state) for r in rows]

    def retired(self, person_id: int) -> tuple[bool, int | None]:
        """(whether the person exists and is retired, the person it merged into)."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(directory_person).where(directory_person.c.id == person_id)
            ).first()
        if row is None:
            return False, None
        return row.retired_at is not None, row.merged_into

    # ---- writing ----

    def add_decision(
        self, kind: DecisionKind, pairs: Sequence[tuple[str, str]], reason: str, by: str
    ) -> None:
        at = _now()
        with self._engine.begin() as connection:
            for a, b in pairs:
                connection.execute(
                    insert(directory_decision).values(
                        kind=kind.value,
                        left_key=a,
                        right_key=b,
                        reason=reason,
                        by=by,
                        at=at,
                    )
                )

    def file(self, outcome: Filing, by: str) -> RunRecord:
        """File a run's groups in one transaction: a failure files nothing."""
        at = _now()
        with self._engine.begin() as connection:
            before = _membership(connection, outcome.scope)
            run_id = new_id(
                connection.execute(
                    insert(directory_run).values(
                        mode=outcome.mode.value,
                        at=at,
                        by=by,
                        records=len(outcome.groups),
                        new_records=outcome.new_records,
                        persons=0,
                        new_persons=0,
                        links=sum(1 for _, s in outcome.links if s is LinkState.LINKED),
                        pairs_scored=outcome.pairs_scored,
                        threshold=outcome.threshold,
                        model=json.dumps(outcome.model or {}),
                    )
                )
            )
            ids = dict(outcome.kept)
            for name in sorted(set(outcome.groups.values()) - set(ids)):
                ids[name] = new_id(
                    connection.execute(
                        insert(directory_person).values(
                            created_at=at, created_run_id=run_id
                        )
                    )
                )
            after = {key: ids[name] for key, name in outcome.groups.items()}
            _write_members(connection, before, after, run_id)
            retired = _retire(connection, before, after, at)
            _write_links(connection, outcome, run_id)
            persons = len(set(after.values()))
            new_persons = len(ids) - len(outcome.kept)
            connection.execute(
                update(directory_run)
                .where(directory_run.c.id == run_id)
                .values(persons=persons, new_persons=new_persons)
            )
        return RunRecord(
            run_id,
            outcome.mode,
            len(outcome.groups),
            outcome.new_records,
            persons,
            new_persons,
            retired,
            sum(1 for _, s in outcome.links if s is LinkState.LINKED),
            outcome.pairs_scored,
        )


def _membership(connection: Connection, scope: frozenset[str] | None) -> dict[str, int]:
    query = select(directory_member.c.record_key, directory_member.c.person_id)
    if scope is not None:
        query = query.where(directory_member.c.record_key.in_(list(scope)))
    return {r.record_key: r.person_id for r in connection.execute(query)}


def _write_members(
    connection: Connection, before: dict[str, int], after: dict[str, int], run_id: int
) -> None:
    changed = [k for k, p in after.items() if before.get(k) != p]
    gone = [k for k in before if k not in after]
    for chunk in _chunks([*changed, *gone]):
        connection.execute(
            delete(directory_member).where(directory_member.c.record_key.in_(chunk))
        )
    rows = [{"record_key": k, "person_id": after[k], "run_id": run_id} for k in changed]
    for start in range(0, len(rows), 5000):
        connection.execute(insert(directory_member), rows[start : start + 5000])


def _retire(
    connection: Connection, before: dict[str, int], after: dict[str, int], at: Any
) -> int:
    """Persons left without records: retired, pointing to where most went."""
    still = set(after.values())
    went: dict[int, Counter[int]] = {}
    for key, person in before.items():
        if person not in still:
            went.setdefault(person, Counter())
            if key in after:
                went[person][after[key]] += 1
    for person, to in went.items():
        connection.execute(
            update(directory_person)
            .where(directory_person.c.id == person)
            .values(
                retired_at=at,
                merged_into=to.most_common(1)[0][0] if to else None,
            )
        )
    return len(went)


def _write_links(connection: Connection, outcome: Filing, run_id: int) -> None:
    if outcome.mode is RunMode.FULL:
        connection.execute(delete(directory_link))
    elif outcome.mode is RunMode.DECISION:
        # A regroup restates the links among the records it touched (a person
        # or two: few keys); links to records outside stay as they were.
        keys = list(outcome.scope or ())
        connection.execute(
            delete(directory_link).where(
                directory_link.c.left_key.in_(keys),
                directory_link.c.right_key.in_(keys),
            )
        )
    rows = [
        {
            "run_id": run_id,
            "left_key": link.left,
            "right_key": link.right,
            "state": state.value,
            "probability": link.match_probability,
            "weight": link.match_weight,
            "identifier": link.deterministic,
            "levels": json.dumps(link.levels, sort_keys=True),
            "weights": json.dumps(
                {k: round(v, 3) for k, v in link.weights.items()}, sort_keys=True
            ),
        }
        for link, state in outcome.links
    ]
    for start in range(0, len(rows), 5000):
        connection.execute(insert(directory_link), rows[start : start + 5000])


def _chunks(keys: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _link(row: Any) -> Link:
    return Link(
        left=row.left_key,
        right=row.right_key,
        match_weight=row.weight,
        match_probability=row.probability,
        levels=json.loads(row.levels),
        weights=json.loads(row.weights),
        deterministic=row.identifier,
    )
