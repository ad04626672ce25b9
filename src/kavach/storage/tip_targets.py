"""Targets in the database: tips grouped, their facts and scores."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from kavach.storage.casework_tables import (
    case_record,
    operation_target,
    search,
    target,
    tip,
    tip_file,
    tip_identifier,
    tip_person,
)
from kavach.storage.database import new_id
from kavach.storage.timestamps import aware as _aware
from kavach.tips.scoring import TargetFacts


class TargetStore:
    """The target side of ``SqlTipRepository``."""

    _engine: Engine

    def identifier_keys(self) -> dict[int, set[str]]:
        keys: dict[int, set[str]] = defaultdict(set)
        with self._engine.connect() as connection:
            for tip_id in connection.execute(select(tip.c.id)).scalars():
                keys[tip_id]
            for tip_id, key in connection.execute(
                select(tip_identifier.c.tip_id, tip_identifier.c.key)
            ):
                keys[tip_id].add(key)
        return dict(keys)

    def current_targets(self) -> dict[int, int | None]:
        with self._engine.connect() as connection:
            return {
                r.id: r.target_id
                for r in connection.execute(select(tip.c.id, tip.c.target_id))
            }

    def apply_targets(
        self, groups: Sequence[list[int]], chosen: Sequence[int | None]
    ) -> dict[int, list[int]]:
        now = datetime.now(UTC)
        members: dict[int, list[int]] = {}
        with self._engine.begin() as connection:
            for tips_, target_id in zip(groups, chosen, strict=True):
                if target_id is None:
                    target_id = new_id(
                        connection.execute(insert(target).values(updated_at=now))
                    )
                connection.execute(
                    update(tip).where(tip.c.id.in_(tips_)).values(target_id=target_id)
                )
                members[target_id] = list(tips_)
            self._drop_empty_targets(connection, set(members))
        return members

    def _drop_empty_targets(self, connection: Connection, kept: set[int]) -> None:
        referenced = set(
            connection.execute(select(operation_target.c.target_id)).scalars()
        )
        referenced |= set(connection.execute(select(search.c.target_id)).scalars())
        referenced |= set(connection.execute(select(case_record.c.target_id)).scalars())
        every = set(connection.execute(select(target.c.id)).scalars())
        empty = every - kept - referenced
        if empty:
            connection.execute(delete(target).where(target.c.id.in_(empty)))

    def target_facts(self) -> dict[int, TargetFacts]:
        facts: dict[int, TargetFacts] = {}
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(
                    tip.c.id,
                    tip.c.target_id,
                    tip.c.received_at,
                    tip.c.incident_at,
                    tip.c.incident_type,
                    tip.c.high_priority,
                    tip.c.annotations,
                    tip.c.prior_reports,
                ).where(tip.c.target_id.is_not(None))
            ).all()
            tip_target = {r.id: r.target_id for r in rows}
            for r in rows:
                f = facts.setdefault(r.target_id, TargetFacts(reports=0))
                f.reports += 1
                # Provider XML has no receipt date: its incident time stands in.
                received = _aware(r.received_at or r.incident_at)
                if received and (f.newest is None or received > f.newest):
                    f.newest = received
                if r.incident_type:
                    f.incident_types.add(r.incident_type)
                f.high_priority |= bool(r.high_priority)
                f.annotations |= set(json.loads(r.annotations))
                f.prior_reports += len(json.loads(r.prior_reports))
            for fr in connection.execute(
                select(tip_file.c.tip_id, tip_file.c.list_matches)
            ):
                if fr.tip_id not in tip_target:
                    continue
                f = facts[tip_target[fr.tip_id]]
                f.files += 1
                matches = json.loads(fr.list_matches)
                if matches:
                    f.files_on_lists += 1
                    if any(m.get("status") == "alert" for m in matches):
                        f.alert_files += 1
                    categories = sorted(
                        str(m["category"]) for m in matches if m.get("category")
                    )
                    if categories and (
                        f.top_category is None or categories[0] < f.top_category
                    ):
                        f.top_category = categories[0]
            for pr in connection.execute(
                select(tip_person.c.tip_id).where(
                    tip_person.c.access_to_children.is_(True)
                )
            ):
                if pr.tip_id in tip_target:
                    facts[tip_target[pr.tip_id]].access_to_children = True
        return facts

    def set_scores(self, scores: dict[int, tuple[int, list[dict[str, Any]]]]) -> None:
        now = datetime.now(UTC)
        with self._engine.begin() as connection:
            places = self._target_places(connection)
            for target_id, (points, factors) in scores.items():
                district, police, station = places.get(target_id, (None, None, None))
                connection.execute(
                    update(target)
                    .where(target.c.id == target_id)
                    .values(
                        score=points,
                        explanation=json.dumps(factors),
                        updated_at=now,
                        revenue_district=district,
                        police_district_id=police,
                        station_id=station,
                    )
                )

    def _target_places(
        self, connection: Connection
    ) -> dict[int, tuple[str | None, int | None, int | None]]:
        """Each target's place: the one most of its placed tips have (the first on a
        tie), read in one pass rather than a query per target."""
        seen: dict[int, Counter[tuple[str | None, int | None, int | None]]] = {}
        for r in connection.execute(
            select(
                tip.c.target_id,
                tip.c.revenue_district,
                tip.c.police_district_id,
                tip.c.station_id,
            )
            .where(tip.c.target_id.is_not(None), tip.c.police_district_id.is_not(None))
            .order_by(tip.c.id)
        ):
            seen.setdefault(r.target_id, Counter())[
                (r.revenue_district, r.police_district_id, r.station_id)
            ] += 1
        return {t: places.most_common(1)[0][0] for t, places in seen.items()}
