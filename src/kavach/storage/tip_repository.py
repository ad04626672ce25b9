"""Tips in the database (``TipRepository``): import with history, listings;
targets and placements come from the stores it is built of."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kavach.casework_vocabulary import AttributionState
from kavach.storage.casework_tables import (
    isp_window,
    police_district,
    police_station,
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
from kavach.storage.timestamps import aware as _aware
from kavach.storage.timestamps import utc as _utc
from kavach.storage.tip_places import PlaceStore
from kavach.storage.tip_targets import TargetStore
from kavach.tips.model import ParsedTip
from kavach.tips.ports import (
    SaveResult,
    TargetRow,
    TipRow,
    TipToSave,
)

_CHILD_TABLES = (tip_person, tip_identifier, tip_ip_event, tip_file, tip_attachment)


class SqlTipRepository(TargetStore, PlaceStore):
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
                r.location_detail or "not placed yet: HQ queue",
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
