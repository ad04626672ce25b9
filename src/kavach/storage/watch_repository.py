"""The watchlist in the database: watches, the records swept for them, alerts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from kavach.entities.watch import Touch, Wake, group_key, identifier_key, phone_key
from kavach.errors import NotFoundError
from kavach.storage.casework_tables import (
    isp_reply,
    isp_window,
    person_identifier,
    person_link,
    police_station,
    search,
    seized_device,
    tip,
    tip_identifier,
)
from kavach.storage.database import new_id
from kavach.storage.directory_tables import directory_member, directory_person
from kavach.storage.phone_tables import (
    phone_account,
    phone_extraction,
    phone_group,
    phone_group_member,
)
from kavach.storage.tables import scan_run
from kavach.storage.timestamps import now as _now
from kavach.storage.watch_tables import watch, watch_alert, watch_sweep


class SqlWatchRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # ---- watches ----

    def add(
        self,
        person_id: int | None,
        key: str | None,
        label: str,
        note: str | None,
        analyst: str,
        station: str | None,
    ) -> int:
        with self._engine.begin() as connection:
            if (
                person_id is not None
                and connection.execute(
                    select(directory_person.c.id).where(
                        directory_person.c.id == person_id
                    )
                ).first()
                is None
            ):
                raise NotFoundError(f"no person {person_id} in the directory")
            return new_id(
                connection.execute(
                    insert(watch).values(
                        person_id=person_id,
                        key=key,
                        label=label,
                        note=note,
                        analyst=analyst,
                        station=station,
                        created_at=_now(),
                    )
                )
            )

    def end(self, watch_id: int, by: str) -> None:
        with self._engine.begin() as connection:
            done = connection.execute(
                update(watch)
                .where(watch.c.id == watch_id, watch.c.ended_at.is_(None))
                .values(ended_at=_now(), ended_by=by)
            )
            if done.rowcount == 0:
                raise NotFoundError(f"no open watch {watch_id}")

    def watches(self, open_only: bool = True) -> list[dict[str, Any]]:
        query = select(watch).order_by(watch.c.id)
        if open_only:
            query = query.where(watch.c.ended_at.is_(None))
        with self._engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(query)]

    def watched_keys(self) -> dict[str, list[int]]:
        """Key -> open watches it wakes: pinned keys, and every key a watched
        person's records hold now (identifiers, and his phones' groups)."""
        found: dict[str, list[int]] = defaultdict(list)
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(watch.c.id, watch.c.person_id, watch.c.key).where(
                    watch.c.ended_at.is_(None)
                )
            ).all()
            for r in rows:
                if r.key:
                    found[r.key].append(r.id)
                if r.person_id is not None:
                    for key in _person_keys(connection, r.person_id):
                        found[key].append(r.id)
        return dict(found)

    # ---- sweeping ----

    def touched(self) -> tuple[list[Touch], dict[str, int]]:
        """What the records added since the last sweep touch, and the new marks."""
        with self._engine.connect() as connection:
            marks = {
                r.source: r.last_id for r in connection.execute(select(watch_sweep))
            }
            touches: list[Touch] = []
            new_marks: dict[str, int] = {}
            for source, reader in _READERS.items():
                found, last = reader(connection, marks.get(source, 0))
                touches += found
                new_marks[source] = max(last, marks.get(source, 0))
        return touches, new_marks

    def raise_alerts(self, wakes: Sequence[Wake], marks: dict[str, int]) -> int:
        """File the alerts and the marks in one transaction."""
        at = _now()
        with self._engine.begin() as connection:
            owners = {
                r.id: (r.analyst, r.station)
                for r in connection.execute(
                    select(watch.c.id, watch.c.analyst, watch.c.station)
                )
            }
            for w in wakes:
                analyst, station = owners[w.watch_id]
                connection.execute(
                    insert(watch_alert).values(
                        watch_id=w.watch_id,
                        at=at,
                        source=w.touch.source,
                        reference=w.touch.reference,
                        matched=w.touch.key,
                        analyst=analyst,
                        station=station or w.touch.station,
                    )
                )
            for source, last in marks.items():
                done = connection.execute(
                    update(watch_sweep)
                    .where(watch_sweep.c.source == source)
                    .values(last_id=last, swept_at=at)
                )
                if done.rowcount == 0:
                    connection.execute(
                        insert(watch_sweep).values(
                            source=source, last_id=last, swept_at=at
                        )
                    )
        return len(wakes)

    def alerts(
        self,
        station: str | None = None,
        analyst: str | None = None,
        unseen: bool = False,
    ) -> list[dict[str, Any]]:
        query = (
            select(watch_alert, watch.c.label)
            .join(watch, watch.c.id == watch_alert.c.watch_id)
            .order_by(watch_alert.c.id)
        )
        if station is not None:
            query = query.where(watch_alert.c.station == station)
        if analyst is not None:
            query = query.where(watch_alert.c.analyst == analyst)
        if unseen:
            query = query.where(watch_alert.c.seen_at.is_(None))
        with self._engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(query)]

    def mark_seen(self, alert_ids: Iterable[int], by: str) -> int:
        ids = list(alert_ids)
        with self._engine.begin() as connection:
            done = connection.execute(
                update(watch_alert)
                .where(watch_alert.c.id.in_(ids), watch_alert.c.seen_at.is_(None))
                .values(seen_at=_now(), seen_by=by)
            )
        return int(done.rowcount)


def _person_keys(connection: Connection, person_id: int) -> set[str]:
    members = [
        r.record_key
        for r in connection.execute(
            select(directory_member.c.record_key).where(
                directory_member.c.person_id == person_id
            )
        )
    ]
    keys: set[str] = set()
    parts = [m.split(":") for m in members]
    casework = [int(p[1]) for p in parts if p[0] == "person"]
    if casework:
        keys |= {
            r.key
            for r in connection.execute(
                select(person_identifier.c.key).where(
                    person_identifier.c.person_id.in_(casework)
                )
            )
        }
        for r in connection.execute(
            select(seized_device.c.imei).where(
                seized_device.c.owner_person_id.in_(casework),
                seized_device.c.imei.is_not(None),
            )
        ):
            keys.add(f"device_id||IMEI:{r.imei}")
    for p in parts:
        if p[0] == "tip":
            keys |= {
                r.key
                for r in connection.execute(
                    select(tip_identifier.c.key).where(
                        tip_identifier.c.tip_id == int(p[1]),
                        tip_identifier.c.person_seq == int(p[2]),
                    )
                )
            }
        elif p[0] == "isp":
            phone = connection.execute(
                select(isp_window.c.phone).where(isp_window.c.id == int(p[1]))
            ).scalar()
            keys.add(phone_key(phone) or "")
        elif p[0] in ("owner", "contact"):
            account = connection.execute(
                select(phone_account).where(phone_account.c.id == int(p[1]))
            ).first()
            if account is not None:
                keys.add(phone_key(account.phone) or "")
                if account.username:
                    keys.add(
                        identifier_key("screen_name", account.username, account.app)
                        or ""
                    )
                for g in connection.execute(
                    select(phone_group.c.app, phone_group.c.identifier).where(
                        phone_group.c.extraction_id == account.extraction_id
                    )
                ):
                    keys.add(group_key(g.app, g.identifier))
    keys.discard("")
    return keys


# ---- what each kind of new record touches (rows after the mark) ----


def _tips(connection: Connection, mark: int) -> tuple[list[Touch], int]:
    rows = connection.execute(
        select(
            tip_identifier.c.id,
            tip_identifier.c.key,
            tip.c.source,
            tip.c.report_id,
            police_station.c.name.label("station"),
        )
        .join(tip, tip.c.id == tip_identifier.c.tip_id)
        .outerjoin(police_station, police_station.c.id == tip.c.station_id)
        .where(tip_identifier.c.id > mark)
    ).all()
    found = [
        Touch("tip", f"tip {r.source} {r.report_id}", r.key, r.station) for r in rows
    ]
    return found, max((r.id for r in rows), default=mark)


def _isp(connection: Connection, mark: int) -> tuple[list[Touch], int]:
    rows = connection.execute(
        select(
            isp_window.c.id, isp_window.c.phone, isp_window.c.reply_id, isp_reply.c.isp
        )
        .join(isp_reply, isp_reply.c.id == isp_window.c.reply_id)
        .where(isp_window.c.id > mark)
    ).all()
    found = []
    for r in rows:
        key = phone_key(r.phone)
        if key:
            where = f"ISP reply {r.reply_id} ({r.isp or 'ISP'}) window {r.id}"
            found.append(Touch("isp", where, key))
    return found, max((r.id for r in rows), default=mark)


def _searches(connection: Connection, mark: int) -> tuple[list[Touch], int]:
    """Persons found at a search: their identifiers."""
    rows = connection.execute(
        select(
            person_link.c.id,
            person_link.c.record_id,
            person_identifier.c.key,
            police_station.c.name.label("station"),
        )
        .join(
            person_identifier, person_identifier.c.person_id == person_link.c.person_id
        )
        .join(search, search.c.id == person_link.c.record_id)
        .outerjoin(police_station, police_station.c.id == search.c.station_id)
        .where(person_link.c.id > mark, person_link.c.record == "search")
    ).all()
    found = [Touch("search", f"search {r.record_id}", r.key, r.station) for r in rows]
    last = connection.execute(
        select(person_link.c.id).order_by(person_link.c.id.desc()).limit(1)
    ).scalar()
    return found, int(last or mark)


def _devices(connection: Connection, mark: int) -> tuple[list[Touch], int]:
    rows = connection.execute(
        select(seized_device.c.id, seized_device.c.label, seized_device.c.imei).where(
            seized_device.c.id > mark
        )
    ).all()
    found = [
        Touch("device", f"device {r.label} seized", f"device_id||IMEI:{r.imei}")
        for r in rows
        if r.imei
    ]
    return found, max((r.id for r in rows), default=mark)


def _scans(connection: Connection, mark: int) -> tuple[list[Touch], int]:
    """A finished scan of a seized device's exhibit touches the device's IMEI.
    Scan ids are not numbers: the mark is how many scans had finished, in the
    order they finished (a scan only ever finishes once, later than the last)."""
    finished = connection.execute(
        select(scan_run.c.id, scan_run.c.exhibit_id)
        .where(scan_run.c.finished_at.is_not(None))
        .order_by(scan_run.c.finished_at, scan_run.c.id)
    ).all()
    fresh = finished[mark:]
    found = []
    if fresh:
        devices = connection.execute(
            select(
                seized_device.c.exhibit_id, seized_device.c.label, seized_device.c.imei
            ).where(
                seized_device.c.exhibit_id.in_({r.exhibit_id for r in fresh}),
                seized_device.c.imei.is_not(None),
            )
        ).all()
        for r in fresh:
            for d in devices:
                if d.exhibit_id == r.exhibit_id:
                    found.append(
                        Touch(
                            "scan",
                            f"scan {r.id[:8]} of {d.label}",
                            f"device_id||IMEI:{d.imei}",
                        )
                    )
    return found, len(finished)


def _phone_accounts(connection: Connection, mark: int) -> tuple[list[Touch], int]:
    rows = connection.execute(
        select(phone_account, seized_device.c.label)
        .join(phone_extraction, phone_extraction.c.id == phone_account.c.extraction_id)
        .join(seized_device, seized_device.c.id == phone_extraction.c.device_id)
        .where(phone_account.c.id > mark)
    ).all()
    found = []
    for r in rows:
        where = f"phone extraction {r.extraction_id} of {r.label} ({r.role})"
        for key in (
            phone_key(r.phone),
            identifier_key("screen_name", r.username, r.app) if r.username else None,
        ):
            if key:
                found.append(Touch("phone", where, key))
    return found, max((r.id for r in rows), default=mark)


def _phone_groups(connection: Connection, mark: int) -> tuple[list[Touch], int]:
    rows = connection.execute(
        select(phone_group, seized_device.c.label)
        .join(phone_extraction, phone_extraction.c.id == phone_group.c.extraction_id)
        .join(seized_device, seized_device.c.id == phone_extraction.c.device_id)
        .where(phone_group.c.id > mark)
    ).all()
    found = [
        Touch(
            "phone",
            f"phone extraction {r.extraction_id} of {r.label}: "
            f"group {r.name or r.identifier}",
            group_key(r.app, r.identifier),
        )
        for r in rows
    ]
    return found, max((r.id for r in rows), default=mark)


def _group_members(connection: Connection, mark: int) -> tuple[list[Touch], int]:
    rows = connection.execute(
        select(
            phone_group_member.c.id,
            phone_group_member.c.phone,
            phone_group.c.name,
            phone_group.c.extraction_id,
            seized_device.c.label,
        )
        .join(phone_group, phone_group.c.id == phone_group_member.c.group_id)
        .join(phone_extraction, phone_extraction.c.id == phone_group.c.extraction_id)
        .join(seized_device, seized_device.c.id == phone_extraction.c.device_id)
        .where(phone_group_member.c.id > mark)
    ).all()
    found = []
    for r in rows:
        key = phone_key(r.phone)
        if key:
            where = (
                f"phone extraction {r.extraction_id} of {r.label}: "
                f"member of {r.name or 'a group'}"
            )
            found.append(Touch("phone", where, key))
    return found, max((r.id for r in rows), default=mark)


_READERS = {
    "tip": _tips,
    "isp": _isp,
    "search": _searches,
    "device": _devices,
    "scan": _scans,
    "phone": _phone_accounts,
    "phone_group": _phone_groups,
    "member": _group_members,
}
