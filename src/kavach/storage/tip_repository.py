"""Tips, their targets and ISP replies in the database (``TipRepository``)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kavach.casework_vocabulary import AttributionState
from kavach.storage.casework_tables import (
    case_record,
    isp_reply,
    isp_window,
    operation_target,
    police_district,
    police_station,
    search,
    target,
    tip,
    tip_attachment,
    tip_file,
    tip_identifier,
    tip_ip_event,
    tip_person,
    tip_revision,
)
from kavach.storage.database import new_id
from kavach.tips.model import ParsedTip
from kavach.tips.ports import (
    EventRow,
    Placement,
    SaveResult,
    TargetRow,
    TipPlaceFacts,
    TipRow,
    TipToSave,
    WindowRow,
)
from kavach.tips.scoring import TargetFacts

_CHILD_TABLES = (tip_person, tip_identifier, tip_ip_event, tip_file, tip_attachment)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is converted to UTC.
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


class SqlTipRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # ---- import ----

    def save(self, tips: Sequence[TipToSave], actor: str) -> SaveResult:
        # Two imports of one file at once: the loser's transaction hits the unique
        # (source, report id) and is rolled back whole; run again, it then finds the
        # winner's rows and updates or leaves them.
        for _attempt in range(2):
            try:
                return self._save(tips, actor)
            except IntegrityError:
                continue
        return self._save(tips, actor)

    def _save(self, tips: Sequence[TipToSave], actor: str) -> SaveResult:
        new = updated = unchanged = 0
        ids: list[int] = []
        now = datetime.now(UTC)
        with self._engine.begin() as connection:
            for item in tips:
                found = connection.execute(
                    select(tip.c.id, tip.c.content_sha256, tip.c.revision).where(
                        tip.c.source == item.tip.source,
                        tip.c.report_id == item.tip.report_id,
                    )
                ).first()
                if found is None:
                    tip_id = self._insert(connection, item, actor, now)
                    new += 1
                elif found.content_sha256 == item.content_sha256:
                    tip_id = found.id
                    unchanged += 1
                else:
                    tip_id = found.id
                    self._update(connection, tip_id, found.revision, item, actor, now)
                    updated += 1
                ids.append(tip_id)
        return SaveResult(new, updated, unchanged, ids)

    def _tip_values(self, item: TipToSave) -> dict[str, Any]:
        parsed = item.tip
        location = parsed.location
        return {
            "format": item.format,
            "received_at": _utc(parsed.received_at),
            "esp": parsed.esp,
            "incident_type": parsed.incident_type,
            "incident_at": _utc(parsed.incident_at),
            "summary": parsed.summary,
            "high_priority": parsed.high_priority,
            "annotations": json.dumps(parsed.annotations),
            "prior_reports": json.dumps(parsed.prior_reports),
            "group_identifier": parsed.group_identifier,
            "est_city": location.city if location else None,
            "est_region": location.region if location else None,
            "est_country": location.country_code if location else None,
            "content_sha256": item.content_sha256,
            "file_name": item.file_name,
        }

    def _insert(
        self, connection: Connection, item: TipToSave, actor: str, now: datetime
    ) -> int:
        values = self._tip_values(item) | {
            "source": item.tip.source,
            "report_id": item.tip.report_id,
            "revision": 1,
            "imported_at": now,
            "imported_by": actor,
        }
        tip_id = new_id(connection.execute(insert(tip).values(**values)))
        self._write_children(connection, tip_id, item)
        self._history(connection, tip_id, 1, item, actor, now, {"created": True})
        return tip_id

    def _update(
        self,
        connection: Connection,
        tip_id: int,
        revision: int,
        item: TipToSave,
        actor: str,
        now: datetime,
    ) -> None:
        before = connection.execute(
            select(tip_revision.c.changes)
            .where(tip_revision.c.tip_id == tip_id)
            .order_by(tip_revision.c.revision.desc())
            .limit(1)
        ).scalar_one()
        previous = json.loads(before).get("content", {})
        changes = {
            key: [previous.get(key), value]
            for key, value in item.content.items()
            if previous.get(key) != value
        }
        for table in _CHILD_TABLES:
            connection.execute(delete(table).where(table.c.tip_id == tip_id))
        connection.execute(
            update(tip)
            .where(tip.c.id == tip_id)
            .values(**self._tip_values(item), revision=revision + 1)
        )
        self._write_children(connection, tip_id, item)
        self._history(connection, tip_id, revision + 1, item, actor, now, changes)

    def _history(
        self,
        connection: Connection,
        tip_id: int,
        revision: int,
        item: TipToSave,
        actor: str,
        now: datetime,
        changes: dict[str, Any],
    ) -> None:
        # The full content is kept with each revision, so the next one can be diffed.
        record = {"changes": changes, "content": item.content}
        connection.execute(
            insert(tip_revision).values(
                tip_id=tip_id,
                revision=revision,
                at=now,
                by=actor,
                file_name=item.file_name,
                content_sha256=item.content_sha256,
                changes=json.dumps(record, sort_keys=True, default=str),
            )
        )

    def _write_children(
        self, connection: Connection, tip_id: int, item: TipToSave
    ) -> None:
        parsed: ParsedTip = item.tip
        persons: list[dict[str, Any]] = []
        identifiers: list[dict[str, Any]] = []
        for seq, person in enumerate(parsed.persons):
            persons.append(
                {
                    "tip_id": tip_id,
                    "seq": seq,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "display_name": person.display_name,
                    "date_of_birth": person.date_of_birth,
                    "age": person.age,
                    "addresses": json.dumps(person.addresses),
                    "convicted_sex_offender": person.convicted_sex_offender,
                    "access_to_children": person.access_to_children,
                }
            )
            identifiers.extend(
                {
                    "tip_id": tip_id,
                    "person_seq": seq,
                    "kind": i.kind.value,
                    "service": i.service,
                    "value": i.value,
                    "key": i.key(),
                }
                for i in person.identifiers
            )
        events = [
            {
                "tip_id": tip_id,
                "seq": seq,
                "address": e.address,
                "port": e.port,
                "at": _utc(e.at),
                "event": e.event,
                "person_seq": e.person,
                "attribution": AttributionState.NO_REPLY.value,
            }
            for seq, e in enumerate(parsed.ip_events)
        ]
        files = [
            {
                "tip_id": tip_id,
                "seq": seq,
                "name": f.name,
                "original_name": f.original_name,
                "hash_type": f.hash_type,
                "hash_value": f.hash_value,
                "viewed_by_esp": f.viewed_by_esp,
                "classification": f.classification,
                "annotations": json.dumps(list(f.annotations)),
                "list_matches": json.dumps(
                    item.list_matches[seq] if seq < len(item.list_matches) else []
                ),
            }
            for seq, f in enumerate(parsed.files)
        ]
        attachments = [
            {"tip_id": tip_id, "path": a.path, "sha256": a.sha256, "size": a.size}
            for a in parsed.attachments
        ]
        for table, rows in (
            (tip_person, persons),
            (tip_identifier, identifiers),
            (tip_ip_event, events),
            (tip_file, files),
            (tip_attachment, attachments),
        ):
            if rows:
                connection.execute(insert(table), rows)

    # ---- targets ----

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
                    tip.c.high_priority,
                    tip.c.annotations,
                    tip.c.prior_reports,
                ).where(tip.c.target_id.is_not(None))
            ).all()
            tip_target = {r.id: r.target_id for r in rows}
            for r in rows:
                f = facts.setdefault(r.target_id, TargetFacts(reports=0))
                f.reports += 1
                received = _aware(r.received_at)
                if received and (f.newest is None or received > f.newest):
                    f.newest = received
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
            for target_id, (points, factors) in scores.items():
                district = self._target_district(connection, target_id)
                connection.execute(
                    update(target)
                    .where(target.c.id == target_id)
                    .values(
                        score=points,
                        explanation=json.dumps(factors),
                        updated_at=now,
                        **district,
                    )
                )

    def _target_district(
        self, connection: Connection, target_id: int
    ) -> dict[str, Any]:
        """The place most of the target's placed tips have (the first on a tie)."""
        rows = connection.execute(
            select(tip.c.revenue_district, tip.c.police_district_id, tip.c.station_id)
            .where(tip.c.target_id == target_id, tip.c.police_district_id.is_not(None))
            .order_by(tip.c.id)
        ).all()
        if not rows:
            return {
                "revenue_district": None,
                "police_district_id": None,
                "station_id": None,
            }
        top = Counter(tuple(r) for r in rows).most_common(1)[0][0]
        return {
            "revenue_district": top[0],
            "police_district_id": top[1],
            "station_id": top[2],
        }

    # ---- IP events, replies, placement ----

    def events(self, only_open: bool) -> list[EventRow]:
        query = select(
            tip_ip_event.c.id,
            tip_ip_event.c.tip_id,
            tip.c.report_id,
            tip_ip_event.c.address,
            tip_ip_event.c.port,
            tip_ip_event.c.at,
            tip_ip_event.c.event,
            tip_ip_event.c.attribution,
        ).join(tip, tip.c.id == tip_ip_event.c.tip_id)
        if only_open:
            query = query.where(
                tip_ip_event.c.attribution != AttributionState.ATTRIBUTED.value
            )
        with self._engine.connect() as connection:
            rows = connection.execute(query.order_by(tip_ip_event.c.id)).all()
        return [
            EventRow(
                r.id,
                r.tip_id,
                r.report_id,
                r.address,
                r.port,
                _aware(r.at),
                r.event,
                AttributionState(r.attribution),
            )
            for r in rows
        ]

    def set_attributions(
        self, results: Sequence[tuple[int, AttributionState, str, int | None]]
    ) -> None:
        with self._engine.begin() as connection:
            for event_id, state, reason, window_id in results:
                connection.execute(
                    update(tip_ip_event)
                    .where(tip_ip_event.c.id == event_id)
                    .values(
                        attribution=state.value,
                        attribution_reason=reason,
                        window_id=window_id,
                    )
                )

    def save_reply(
        self,
        file_name: str,
        file_sha256: str,
        isp: str | None,
        windows: Sequence[Any],
        actor: str,
    ) -> int | None:
        with self._engine.begin() as connection:
            if connection.execute(
                select(isp_reply.c.id).where(isp_reply.c.file_sha256 == file_sha256)
            ).first():
                return None
            reply_id = new_id(
                connection.execute(
                    insert(isp_reply).values(
                        file_name=file_name,
                        file_sha256=file_sha256,
                        isp=isp,
                        windows=len(windows),
                        imported_at=datetime.now(UTC),
                        imported_by=actor,
                    )
                )
            )
            rows = [
                {
                    "reply_id": reply_id,
                    "address": w.address,
                    "port_low": w.port_low,
                    "port_high": w.port_high,
                    "start": _utc(w.start),
                    "end": _utc(w.end),
                    "subscriber": w.subscriber,
                    "postal_address": w.address_text,
                    "pincode": w.pincode,
                    "phone": w.phone,
                    "row": w.where,
                    "extra": json.dumps(w.extra, default=str),
                }
                for w in windows
            ]
            if rows:
                connection.execute(insert(isp_window), rows)
        return reply_id

    def windows(self) -> list[WindowRow]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(isp_window).order_by(isp_window.c.id)
            ).all()
        return [_window(r) for r in rows]

    def place_facts(self, tip_ids: Sequence[int] | None) -> list[TipPlaceFacts]:
        with self._engine.connect() as connection:
            query = select(
                tip.c.id, tip.c.est_city, tip.c.est_region, tip.c.est_country
            )
            if tip_ids is not None:
                query = query.where(tip.c.id.in_(list(tip_ids)))
            tips_ = connection.execute(query.order_by(tip.c.id)).all()
            addresses: dict[int, list[str]] = defaultdict(list)
            attributed: dict[int, list[WindowRow]] = defaultdict(list)
            for r in connection.execute(
                select(
                    tip_ip_event.c.tip_id,
                    tip_ip_event.c.address.label("event_address"),
                    isp_window,
                )
                .outerjoin(isp_window, isp_window.c.id == tip_ip_event.c.window_id)
                .order_by(tip_ip_event.c.seq)
            ):
                addresses[r.tip_id].append(r.event_address)
                if r.id is not None:
                    attributed[r.tip_id].append(_window(r))
        return [
            TipPlaceFacts(
                t.id,
                attributed[t.id],
                addresses[t.id],
                t.est_city,
                t.est_region,
                t.est_country,
            )
            for t in tips_
        ]

    def set_placements(self, placements: dict[int, Placement]) -> None:
        with self._engine.begin() as connection:
            for tip_id, p in placements.items():
                connection.execute(
                    update(tip)
                    .where(tip.c.id == tip_id)
                    .values(
                        revenue_district=p.revenue_district,
                        police_district_id=p.police_district_id,
                        station_id=p.station_id,
                        located_by=p.located_by.value if p.located_by else None,
                        location_detail=p.detail,
                    )
                )

    # ---- listings ----

    def tips(self, limit: int | None = None) -> list[TipRow]:
        files = (
            select(
                tip_file.c.tip_id,
                func.count().label("files"),
                func.sum(case((tip_file.c.list_matches != "[]", 1), else_=0)).label(
                    "listed"
                ),
            )
            .group_by(tip_file.c.tip_id)
            .subquery()
        )
        query = (
            select(
                tip,
                police_district.c.name.label("pd_name"),
                police_station.c.name.label("station_name"),
                files.c.files,
                files.c.listed,
            )
            .outerjoin(
                police_district, police_district.c.id == tip.c.police_district_id
            )
            .outerjoin(police_station, police_station.c.id == tip.c.station_id)
            .outerjoin(files, files.c.tip_id == tip.c.id)
            # Undated tips (provider XML) last, the same on SQLite and PostgreSQL.
            .order_by(tip.c.received_at.is_(None), tip.c.received_at, tip.c.id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            TipRow(
                r.id,
                r.source,
                r.report_id,
                _aware(r.received_at),
                r.esp,
                r.incident_type,
                r.revenue_district,
                r.pd_name,
                r.station_name,
                r.located_by,
                r.target_id,
                int(r.files or 0),
                int(r.listed or 0),
                r.revision,
                bool(r.high_priority),
            )
            for r in rows
        ]

    def targets(self, limit: int | None = None) -> list[TargetRow]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(
                    target,
                    police_district.c.name.label("pd_name"),
                    police_station.c.name.label("station_name"),
                )
                .outerjoin(
                    police_district, police_district.c.id == target.c.police_district_id
                )
                .outerjoin(police_station, police_station.c.id == target.c.station_id)
                .order_by(target.c.score.desc(), target.c.id)
                .limit(limit)
            ).all()
            report_ids: dict[int, list[str]] = defaultdict(list)
            for tr in connection.execute(
                select(tip.c.target_id, tip.c.report_id).order_by(tip.c.id)
            ):
                report_ids[tr.target_id].append(tr.report_id)
            identifiers: dict[int, dict[str, dict[str, str | None]]] = defaultdict(dict)
            for r in connection.execute(
                select(
                    tip.c.target_id,
                    tip_identifier.c.kind,
                    tip_identifier.c.service,
                    tip_identifier.c.value,
                    tip_identifier.c.key,
                )
                .join(tip, tip.c.id == tip_identifier.c.tip_id)
                .order_by(tip_identifier.c.id)
            ):
                identifiers[r.target_id].setdefault(
                    r.key, {"kind": r.kind, "value": r.value, "service": r.service}
                )
            links = self._connection_links(connection)
        return [
            TargetRow(
                r.id,
                report_ids[r.id],
                list(identifiers[r.id].values()),
                r.revenue_district,
                r.pd_name,
                r.station_name,
                r.score,
                json.loads(r.explanation),
                links.get(r.id, []),
            )
            for r in rows
        ]

    def _connection_links(
        self, connection: Connection
    ) -> dict[int, list[dict[str, Any]]]:
        from kavach.tips.targets import connection_links

        seen: dict[int, set[str]] = defaultdict(set)
        for r in connection.execute(
            select(
                tip.c.target_id,
                tip_ip_event.c.address,
                isp_window.c.subscriber,
                isp_window.c.postal_address,
            )
            .join(tip, tip.c.id == tip_ip_event.c.tip_id)
            .outerjoin(isp_window, isp_window.c.id == tip_ip_event.c.window_id)
            .where(tip.c.target_id.is_not(None))
        ):
            seen[r.target_id].add(f"ip {r.address}")
            if r.subscriber:
                where = f", {r.postal_address}" if r.postal_address else ""
                seen[r.target_id].add(f"subscriber {r.subscriber}{where}")
        result: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for link in connection_links(seen):
            result[link.target_a].append({"target": link.target_b, "via": link.via})
            result[link.target_b].append({"target": link.target_a, "via": link.via})
        return result


def _window(r: Any) -> WindowRow:
    start, end = _aware(r.start), _aware(r.end)
    assert start is not None and end is not None
    return WindowRow(
        r.id,
        r.address,
        r.port_low,
        r.port_high,
        start,
        end,
        r.subscriber,
        r.postal_address,
        r.pincode,
        r.phone,
        r.row,
    )
