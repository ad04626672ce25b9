"""Paged reads of tips, targets, cases, exhibits, hits, persons and the audit log,
narrowed by a ``Visibility`` (station, lab) in SQL, newest first."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, exists, func, or_, select
from sqlalchemy.sql import Select

from kavach.access.policy import Visibility
from kavach.access.reads import Page, Row
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


class SqlRecordQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _page(self, query: Select[Any], limit: int, offset: int) -> Page:
        with self._engine.connect() as connection:
            total = connection.execute(
                select(func.count()).select_from(query.order_by(None).subquery())
            ).scalar_one()
            rows = connection.execute(query.limit(limit).offset(offset)).mappings()
            items = [_plain(dict(r)) for r in rows]
        return Page(items, int(total), limit, offset)

    def _one(self, query: Select[Any]) -> Row | None:
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else _plain(dict(row))

    # ---- casework ----

    def tips(self, scope: Visibility, limit: int, offset: int) -> Page:
        query = _tips().order_by(tip.c.received_at.desc(), tip.c.id.desc())
        return self._page(_station(query, tip.c.station_id, scope), limit, offset)

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

    def targets(self, scope: Visibility, limit: int, offset: int) -> Page:
        tips = (
            select(func.count())
            .where(tip.c.target_id == target.c.id)
            .scalar_subquery()
            .label("tips")
        )
        query = (
            select(
                target.c.id,
                target.c.score,
                target.c.revenue_district,
                police_station.c.name.label("station"),
                target.c.updated_at,
                tips,
            )
            .outerjoin(police_station, police_station.c.id == target.c.station_id)
            .order_by(target.c.score.desc(), target.c.id)
        )
        return self._page(_station(query, target.c.station_id, scope), limit, offset)

    def cases(self, scope: Visibility, limit: int, offset: int) -> Page:
        query = _cases().order_by(case_record.c.registered_at.desc())
        return self._page(
            _station(query, case_record.c.station_id, scope), limit, offset
        )

    def case(self, scope: Visibility, case_id: int) -> Row | None:
        query = _cases().where(case_record.c.id == case_id)
        return self._one(_station(query, case_record.c.station_id, scope))

    def persons(self, scope: Visibility, limit: int, offset: int) -> Page:
        query = _persons().order_by(person.c.id.desc())
        return self._page(query, limit, offset)

    def person(self, scope: Visibility, person_id: int) -> Row | None:
        return self._one(
            _persons().add_columns(person.c.address).where(person.c.id == person_id)
        )

    # ---- examination ----

    def exhibits(self, scope: Visibility, limit: int, offset: int) -> Page:
        query = _exhibits().order_by(exhibit.c.id.desc())
        return self._page(_lab(query, scope), limit, offset)

    def exhibit(self, scope: Visibility, exhibit_id: int) -> Row | None:
        return self._one(_lab(_exhibits().where(exhibit.c.id == exhibit_id), scope))

    def hits(self, scope: Visibility, limit: int, offset: int) -> Page:
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
            .order_by(hit.c.id.desc())
        )
        return self._page(_lab(query, scope), limit, offset)

    # ---- audit ----

    def audit(self, limit: int, offset: int, actor: str | None) -> Page:
        query = select(
            audit_event.c.id,
            audit_event.c.at,
            audit_event.c.actor,
            audit_event.c.action,
            audit_event.c.target,
            audit_event.c.detail,
        ).order_by(audit_event.c.id.desc())
        if actor:
            query = query.where(audit_event.c.actor == actor)
        page = self._page(query, limit, offset)
        for item in page.items:
            item["detail"] = json.loads(item["detail"])
        return page


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
