"""Paged reads of tips, targets, cases, exhibits, hits, persons and the audit log,
narrowed by a ``Visibility`` (station, lab) in SQL, newest first."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, or_, select, tuple_
from sqlalchemy.sql import Select

from kavach.access.policy import Visibility
from kavach.access.reads import Page, Paging, Row
from kavach.errors import InputError
from kavach.storage.casework_tables import (
    case_record,
    custody_event,
    person,
    police_station,
    seized_device,
    target,
    tip,
    tip_identifier,
)
from kavach.storage.tables import (
    audit_event,
    exhibit,
    file_record,
    hashset,
    hashset_version,
    hit,
    scan_run,
)
from kavach.storage.timestamps import aware

_RECEIVED = "received_at_lab"


# A total shown beside a page after the first is counted at most this often: an
# exact count(*) on every page of 100,000 tips was the heaviest part of paging.
TOTAL_TTL_S = 60.0


class SqlRecordQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._totals: dict[tuple[object, ...], tuple[float, int]] = {}

    def _page(
        self, query: Select[Any], paging: Paging, keys: Keys, name: tuple[object, ...]
    ) -> Page:
        """One page in ``keys`` order: from ``paging.after`` (keyset: the rows
        after that record, read straight from the index) or ``paging.offset``."""
        ordered = query.order_by(*(c.desc() if down else c.asc() for c, down in keys))
        with self._engine.connect() as connection:
            if paging.after is not None:
                ordered = ordered.where(self._after(connection, keys, paging.after))
            elif paging.offset:
                ordered = ordered.offset(paging.offset)
            rows = connection.execute(ordered.limit(paging.limit + 1)).mappings()
            items = [_plain(dict(r)) for r in rows]
            first = paging.after is None and not paging.offset
            total = self._total(connection, query, name, exact=first)
        more = len(items) > paging.limit
        items = items[: paging.limit]
        last = items[-1]["id"] if more and items else None
        return Page(items, total, paging.limit, paging.offset, paging.after, last)

    def _total(
        self,
        connection: Connection,
        query: Select[Any],
        name: tuple[object, ...],
        exact: bool,
    ) -> int:
        now = time.monotonic()
        cached = self._totals.get(name)
        if not exact and cached is not None and now - cached[0] < TOTAL_TTL_S:
            return cached[1]
        total = int(
            connection.execute(
                select(func.count()).select_from(query.order_by(None).subquery())
            ).scalar_one()
        )
        self._totals[name] = (now, total)
        return total

    def _after(self, connection: Connection, keys: Keys, after: int) -> Any:
        """The rows that come after record ``after`` in ``keys`` order."""
        columns = [c for c, _ in keys]
        id_column = columns[-1]
        found = connection.execute(select(*columns).where(id_column == after)).first()
        if found is None:
            raise InputError(f"after={after}: no such record in this list")
        nulls_high = connection.dialect.name == "postgresql"
        return _keyset(keys, tuple(found), nulls_high)

    def _one(self, query: Select[Any]) -> Row | None:
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else _plain(dict(row))

    # ---- casework ----

    def tips(self, scope: Visibility, paging: Paging) -> Page:
        query = _station(_tips(), tip.c.station_id, scope)
        keys = [(tip.c.received_at, True), (tip.c.id, True)]
        return self._page(query, paging, keys, ("tips", scope))

    def tip(self, scope: Visibility, tip_id: int) -> Row | None:
        query = _station(_tips().where(tip.c.id == tip_id), tip.c.station_id, scope)
        row = self._one(
            query.add_columns(
                tip.c.summary,
                tip.c.location_detail,
                target.c.score,
                target.c.explanation,
            ).outerjoin(target, target.c.id == tip.c.target_id)
        )
        if row is not None:
            row["explanation"] = json.loads(row["explanation"] or "[]")
            with self._engine.connect() as connection:
                row["identifiers"] = [
                    dict(r)
                    for r in connection.execute(
                        select(tip_identifier.c.kind, tip_identifier.c.value)
                        .where(tip_identifier.c.tip_id == tip_id)
                        .order_by(tip_identifier.c.id)
                    ).mappings()
                ]
        return row

    def targets(self, scope: Visibility, paging: Paging) -> Page:
        tips = (
            select(func.count())
            .where(tip.c.target_id == target.c.id)
            .scalar_subquery()
            .label("tips")
        )
        query: Select[Any] = select(
            target.c.id,
            target.c.score,
            target.c.revenue_district,
            police_station.c.name.label("station"),
            target.c.updated_at,
            tips,
        ).outerjoin(police_station, police_station.c.id == target.c.station_id)
        keys = [(target.c.score, True), (target.c.id, False)]
        scoped = _station(query, target.c.station_id, scope)
        return self._page(scoped, paging, keys, ("targets", scope))

    def cases(self, scope: Visibility, paging: Paging) -> Page:
        query = _station(_cases(), case_record.c.station_id, scope)
        keys = [(case_record.c.registered_at, True), (case_record.c.id, True)]
        return self._page(query, paging, keys, ("cases", scope))

    def case(self, scope: Visibility, case_id: int) -> Row | None:
        query = _cases().where(case_record.c.id == case_id)
        return self._one(_station(query, case_record.c.station_id, scope))

    def persons(self, scope: Visibility, paging: Paging) -> Page:
        keys = [(person.c.id, True)]
        return self._page(_persons(), paging, keys, ("persons", scope))

    def person(self, scope: Visibility, person_id: int) -> Row | None:
        return self._one(
            _persons().add_columns(person.c.address).where(person.c.id == person_id)
        )

    # ---- examination ----

    def exhibits(self, scope: Visibility, paging: Paging) -> Page:
        keys = [(exhibit.c.id, True)]
        return self._page(_lab(_exhibits(), scope), paging, keys, ("exhibits", scope))

    def exhibit(self, scope: Visibility, exhibit_id: int) -> Row | None:
        return self._one(_lab(_exhibits().where(exhibit.c.id == exhibit_id), scope))

    def hits(self, scope: Visibility, paging: Paging) -> Page:
        query = (
            select(
                hit.c.id,
                exhibit.c.label.label("exhibit"),
                hit.c.scan_id,
                file_record.c.path,
                file_record.c.sha256,
                hashset.c.name.label("hashset"),
                hashset.c.role.label("list_role"),
                hit.c.match_type,
                hit.c.algorithm,
                hit.c.distance,
                hit.c.review,
                hit.c.category,
                hit.c.age_band,
            )
            .join(file_record, file_record.c.id == hit.c.file_id)
            .join(scan_run, scan_run.c.id == hit.c.scan_id)
            .join(exhibit, exhibit.c.id == scan_run.c.exhibit_id)
            .join(hashset_version, hashset_version.c.id == hit.c.version_id)
            .join(hashset, hashset.c.id == hashset_version.c.hashset_id)
        )
        keys = [(hit.c.id, True)]
        return self._page(_lab(query, scope), paging, keys, ("hits", scope))

    # ---- audit ----

    def audit(self, paging: Paging, actor: str | None) -> Page:
        query = select(
            audit_event.c.id,
            audit_event.c.at,
            audit_event.c.actor,
            audit_event.c.action,
            audit_event.c.target,
            audit_event.c.detail,
        )
        if actor:
            query = query.where(audit_event.c.actor == actor)
        keys = [(audit_event.c.id, True)]
        page = self._page(query, paging, keys, ("audit", actor))
        for item in page.items:
            item["detail"] = json.loads(item["detail"])
        return page


Keys = list[tuple[Any, bool]]  # (column, descending); the record's id last


def _keyset(keys: Keys, values: tuple[Any, ...], nulls_high: bool) -> Any:
    """Rows after ``values`` in ``keys`` order. All descending: one row-value
    comparison, which both databases answer from the index. A nullable column
    (a tip's received time) also takes the NULL rows where the database sorts
    them: first in PostgreSQL's descending order, last in SQLite's."""
    columns = [c for c, _ in keys]
    if all(down for _, down in keys) and values[0] is not None:
        after = tuple_(*columns) < tuple_(*values)
        if columns[0].nullable and not nulls_high:
            return or_(after, columns[0].is_(None))
        return after
    if values[0] is None:  # the record sits among the rows without a value
        rest = _keyset(keys[1:], values[1:], nulls_high)
        among = and_(columns[0].is_(None), rest)
        return or_(among, columns[0].is_not(None)) if nulls_high else among
    clauses = []
    for i, (column, down) in enumerate(keys):
        same = [keys[j][0] == values[j] for j in range(i)]
        clauses.append(and_(*same, column < values[i] if down else column > values[i]))
    return or_(*clauses)


def _tips() -> Select[Any]:
    return select(
        tip.c.id,
        tip.c.report_id,
        tip.c.source,
        tip.c.format,
        tip.c.received_at,
        tip.c.esp,
        tip.c.incident_type,
        tip.c.high_priority,
        tip.c.revenue_district,
        police_station.c.name.label("station"),
        tip.c.target_id,
        tip.c.located_by,
    ).outerjoin(police_station, police_station.c.id == tip.c.station_id)


def _cases() -> Select[Any]:
    return select(
        case_record.c.id,
        case_record.c.number_text,
        case_record.c.kind,
        police_station.c.name.label("station"),
        case_record.c.year,
        case_record.c.status,
        case_record.c.registered_at,
        case_record.c.target_id,
    ).join(police_station, police_station.c.id == case_record.c.station_id)


def _persons() -> Select[Any]:
    return select(
        person.c.id,
        person.c.name,
        person.c.name_malayalam,
        person.c.age,
        person.c.pincode,
        person.c.created_at,
    )


def _exhibits() -> Select[Any]:
    runs = (
        select(func.count())
        .where(scan_run.c.exhibit_id == exhibit.c.id)
        .scalar_subquery()
        .label("scans")
    )
    return select(
        exhibit.c.id,
        exhibit.c.label,
        exhibit.c.case_ref,
        exhibit.c.created_at,
        exhibit.c.created_by,
        runs,
    )


def _station(query: Select[Any], column: Any, scope: Visibility) -> Select[Any]:
    return (
        query if scope.station_id is None else query.where(column == scope.station_id)
    )


def _lab(query: Select[Any], scope: Visibility) -> Select[Any]:
    """An examiner's exhibits: those received at their lab (the custody step's
    place), and those they registered themselves."""
    if scope.exhibits_of is None:
        return query
    mine = exhibit.c.created_by == scope.exhibits_of
    if scope.lab is None:
        return query.where(mine)
    received = exists(
        select(custody_event.c.id)
        .join(seized_device, seized_device.c.id == custody_event.c.device_id)
        .where(
            and_(
                seized_device.c.exhibit_id == exhibit.c.id,
                custody_event.c.step == _RECEIVED,
                custody_event.c.place == scope.lab,
            )
        )
    )
    return query.where(or_(mine, received))


def _plain(row: Row) -> Row:
    """JSON-ready values: times as ISO 8601 (UTC)."""
    return {
        k: aware(v).isoformat() if isinstance(v, datetime) else v
        for k, v in row.items()
    }
