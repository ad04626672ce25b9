"""Operations, searches, seized devices, custody, persons and cases in the database."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from kavach.cases.records import (
    CustodyEntry,
    NewCustodyStep,
    NewDevice,
    NewOperation,
    NewSearch,
    OperationTally,
)
from kavach.cases.sections import SEED
from kavach.casework_vocabulary import CaseKind
from kavach.errors import InputError, NotFoundError
from kavach.storage.casework_tables import (
    arrest,
    case_record,
    custody_event,
    legal_section,
    operation,
    operation_target,
    person,
    police_district,
    police_station,
    safeguarding_referral,
    search,
    seized_device,
    target,
)
from kavach.storage.database import new_id
from kavach.storage.timestamps import aware as _aware
from kavach.storage.timestamps import now as _now


def location_key(address: str) -> str:
    """An address reduced so the same place written twice counts once."""
    return re.sub(r"[^0-9a-z]+", " ", address.lower()).strip()


class SqlCaseworkRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def seed_sections(self) -> int:
        with self._engine.begin() as connection:
            have = set(connection.execute(select(legal_section.c.code)).scalars())
            rows = [
                {
                    "code": s.code,
                    "act": s.act,
                    "section": s.section,
                    "title": s.title,
                    "repeat_harsher": s.repeat_harsher,
                    "pocso": s.pocso,
                }
                for s in SEED
                if s.code not in have
            ]
            if rows:
                connection.execute(insert(legal_section), rows)
        return len(rows)

    # ---- operations and searches ----

    def create_operation(self, new: NewOperation, actor: str) -> int:
        try:
            with self._engine.begin() as connection:
                return new_id(
                    connection.execute(
                        insert(operation).values(
                            name=new.name,
                            starts_on=new.starts_on,
                            ends_on=new.ends_on,
                            districts=json.dumps(list(new.districts)),
                            approved_by=new.approved_by,
                            approved_at=_now() if new.approved_by else None,
                            created_by=actor,
                            created_at=_now(),
                        )
                    )
                )
        except IntegrityError:
            raise InputError(f"an operation named {new.name!r} exists") from None

    def must_exist(
        self, connection: Connection, table: Any, row_id: int | None, what: str
    ) -> None:
        """A record named by id exists (else NotFoundError, not a constraint error)."""
        if row_id is None:
            return
        if (
            connection.execute(select(table.c.id).where(table.c.id == row_id)).first()
            is None
        ):
            raise NotFoundError(f"no {what} {row_id}")

    def operation_id(self, connection: Connection, name: str) -> int:
        found = connection.execute(
            select(operation.c.id).where(operation.c.name == name)
        ).scalar()
        if found is None:
            raise NotFoundError(f"no operation {name!r}")
        return int(found)

    def add_targets(self, name: str, target_ids: Sequence[int]) -> int:
        with self._engine.begin() as connection:
            op_id = self.operation_id(connection, name)
            have = set(
                connection.execute(
                    select(operation_target.c.target_id).where(
                        operation_target.c.operation_id == op_id
                    )
                ).scalars()
            )
            rows = [
                {"operation_id": op_id, "target_id": t}
                for t in dict.fromkeys(target_ids)
                if t not in have
            ]
            if rows:
                connection.execute(insert(operation_target), rows)
        return len(rows)

    def station_id(self, connection: Connection, name: str) -> tuple[int, str]:
        """A station by its name (or "name, police district"), with its district."""
        station_id, _, district = find_station(connection, name)
        return station_id, district

    def record_search(self, new: NewSearch, actor: str) -> int:
        with self._engine.begin() as connection:
            self.must_exist(connection, target, new.target_id, "target")
            op_id = (
                self.operation_id(connection, new.operation) if new.operation else None
            )
            station = (
                self.station_id(connection, new.station)[0] if new.station else None
            )
            search_id = new_id(
                connection.execute(
                    insert(search).values(
                        operation_id=op_id,
                        target_id=new.target_id,
                        station_id=station,
                        location=new.location,
                        location_key=location_key(new.location),
                        started_at=new.started_at,
                        ended_at=new.ended_at,
                        team_lead=new.team_lead,
                        witnesses=json.dumps(list(new.witnesses)),
                        recording_file=new.recording_file,
                        recording_sha256=new.recording_sha256,
                        recording_forwarded_at=new.recording_forwarded_at,
                        outcome=new.outcome,
                        notes=new.notes,
                        created_by=actor,
                        created_at=_now(),
                    )
                )
            )
            for number, age in enumerate(new.children, start=1):
                connection.execute(
                    insert(safeguarding_referral).values(
                        search_id=search_id,
                        child_ref=f"S{search_id}-C{number}",
                        age=age,
                        committee=self._committee(connection, station),
                        opened_at=_now(),
                        opened_by=actor,
                    )
                )
        return search_id

    def _committee(self, connection: Connection, station: int | None) -> str:
        """The Child Welfare Committee of the station's revenue district."""
        if station is None:
            return "Child Welfare Committee"
        from kavach.storage.casework_tables import revenue_district

        name = connection.execute(
            select(revenue_district.c.name)
            .join(
                police_district,
                police_district.c.revenue_district_id == revenue_district.c.id,
            )
            .join(
                police_station,
                police_station.c.police_district_id == police_district.c.id,
            )
            .where(police_station.c.id == station)
        ).scalar()
        return f"Child Welfare Committee, {str(name).title()}"

    def open_referrals(self, name: str) -> list[dict[str, Any]]:
        """The operation's safeguarding referrals not yet closed (a child by
        reference and age, never by name)."""
        with self._engine.connect() as connection:
            op_id = self.operation_id(connection, name)
            rows = connection.execute(
                select(safeguarding_referral)
                .join(search, search.c.id == safeguarding_referral.c.search_id)
                .where(
                    search.c.operation_id == op_id,
                    safeguarding_referral.c.closed_at.is_(None),
                )
                .order_by(safeguarding_referral.c.id)
            ).all()
        return [
            {
                "child_ref": r.child_ref,
                "search": r.search_id,
                "age": r.age,
                "committee": r.committee,
                "opened_at": _aware(r.opened_at).isoformat(),
            }
            for r in rows
        ]

    def close_referral(self, child_ref: str, outcome: str) -> None:
        from sqlalchemy import update

        with self._engine.begin() as connection:
            done = connection.execute(
                update(safeguarding_referral)
                .where(
                    safeguarding_referral.c.child_ref == child_ref,
                    safeguarding_referral.c.closed_at.is_(None),
                )
                .values(closed_at=_now(), outcome=outcome)
            ).rowcount
        if not done:
            raise NotFoundError(f"no open safeguarding referral {child_ref!r}")

    # ---- devices and custody ----

    def seize_device(self, new: NewDevice, actor: str) -> int:
        try:
            with self._engine.begin() as connection:
                self.must_exist(connection, search, new.search_id, "search")
                self.must_exist(connection, person, new.owner_person_id, "person")
                if connection.execute(
                    select(seized_device.c.id).where(seized_device.c.label == new.label)
                ).first():
                    raise InputError(f"a device labelled {new.label!r} exists")
                device_id = new_id(
                    connection.execute(
                        insert(seized_device).values(
                            label=new.label,
                            search_id=new.search_id,
                            device_type=new.device_type,
                            make=new.make,
                            model=new.model,
                            imei=new.imei,
                            serial=new.serial,
                            seal_number=new.seal_number,
                            owner_person_id=new.owner_person_id,
                            seized_at=new.seized_at,
                            created_by=actor,
                        )
                    )
                )
                connection.execute(
                    insert(custody_event).values(
                        device_id=device_id,
                        step="seized",
                        at=new.seized_at,
                        by=actor,
                        place=None,
                        remarks="recorded with the seizure",
                        recorded_by=actor,
                        recorded_at=_now(),
                    )
                )
        except IntegrityError:
            raise InputError(f"a device labelled {new.label!r} exists") from None
        return device_id

    def add_custody(self, new: NewCustodyStep, actor: str) -> None:
        from kavach.cases.rules import check_custody

        with self._engine.begin() as connection:
            device_id = self._device_id(connection, new.device)
            seized_at = connection.execute(
                select(seized_device.c.seized_at).where(seized_device.c.id == device_id)
            ).scalar_one()
            check_custody(new, _aware(seized_at))
            connection.execute(
                insert(custody_event).values(
                    device_id=device_id,
                    step=new.step.value,
                    at=new.at,
                    by=new.by,
                    place=new.place,
                    remarks=new.remarks,
                    recorded_by=actor,
                    recorded_at=_now(),
                )
            )

    def _device_id(self, connection: Connection, label: str) -> int:
        found = connection.execute(
            select(seized_device.c.id).where(seized_device.c.label == label)
        ).scalar()
        if found is None:
            raise NotFoundError(f"no seized device {label!r}")
        return int(found)

    def set_owner(self, label: str, person_id: int) -> None:
        """Record the person a device was seized from (known after the seizure)."""
        from sqlalchemy import update

        with self._engine.begin() as connection:
            device_id = self._device_id(connection, label)
            self.must_exist(connection, person, person_id, "person")
            connection.execute(
                update(seized_device)
                .where(seized_device.c.id == device_id)
                .values(owner_person_id=person_id)
            )

    def link_exhibit(self, label: str, exhibit_label: str) -> None:
        """Point a seized device at the triage exhibit (images, scans) it became."""
        from sqlalchemy import update

        from kavach.storage.tables import exhibit

        with self._engine.begin() as connection:
            device_id = self._device_id(connection, label)
            found = (
                connection.execute(
                    select(exhibit.c.id)
                    .where(exhibit.c.label == exhibit_label)
                    .order_by(exhibit.c.id)
                )
                .scalars()
                .all()
            )
            if not found:
                raise NotFoundError(
                    f"no exhibit {exhibit_label!r} has been scanned or registered"
                )
            connection.execute(
                update(seized_device)
                .where(seized_device.c.id == device_id)
                .values(exhibit_id=found[-1])
            )

    def operations(self) -> list[dict[str, Any]]:
        """Every operation, newest first, with how many searches it holds."""
        searches = (
            select(search.c.operation_id, func.count().label("searches"))
            .group_by(search.c.operation_id)
            .subquery()
        )
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(operation, func.coalesce(searches.c.searches, 0).label("n"))
                .outerjoin(searches, searches.c.operation_id == operation.c.id)
                .order_by(operation.c.starts_on.desc(), operation.c.id.desc())
            ).all()
        return [
            {
                "name": r.name,
                "starts_on": r.starts_on.isoformat(),
                "ends_on": r.ends_on.isoformat(),
                "districts": json.loads(r.districts),
                "approved_by": r.approved_by,
                "searches": int(r.n),
            }
            for r in rows
        ]

    def board(self, name: str) -> list[dict[str, Any]]:
        """An operation's searches with what each came to (devices, recording)."""
        with self._engine.connect() as connection:
            op_id = self.operation_id(connection, name)
            devices: dict[int, int] = dict(
                connection.execute(
                    select(seized_device.c.search_id, func.count()).group_by(
                        seized_device.c.search_id
                    )
                ).all()
            )
            referrals: dict[int, int] = dict(
                connection.execute(
                    select(safeguarding_referral.c.search_id, func.count())
                    .where(safeguarding_referral.c.closed_at.is_(None))
                    .group_by(safeguarding_referral.c.search_id)
                ).all()
            )
            rows = connection.execute(
                select(search, police_station.c.name.label("station_name"))
                .outerjoin(police_station, police_station.c.id == search.c.station_id)
                .where(search.c.operation_id == op_id)
                .order_by(search.c.id)
            ).all()
        return [
            {
                "search": r.id,
                "station": r.station_name,
                "location": r.location,
                "at": _aware(r.started_at).isoformat(),
                "team_lead": r.team_lead,
                "recorded": r.recording_sha256 is not None,
                "devices": int(devices.get(r.id, 0)),
                "open_referrals": int(referrals.get(r.id, 0)),
                "outcome": r.outcome,
            }
            for r in rows
        ]

    def custody_log(self, label: str) -> list[CustodyEntry]:
        with self._engine.connect() as connection:
            device_id = self._device_id(connection, label)
            rows = connection.execute(
                select(custody_event)
                .where(custody_event.c.device_id == device_id)
                .order_by(custody_event.c.at, custody_event.c.id)
            ).all()
        return [
            CustodyEntry(
                label,
                r.step,
                _aware(r.at),
                r.by,
                r.place,
                r.remarks,
                r.recorded_by,
                _aware(r.recorded_at),
            )
            for r in rows
        ]

    # ---- figures ----

    def tally(self, name: str) -> OperationTally:
        with self._engine.connect() as connection:
            op_id = self.operation_id(connection, name)
            searches = select(search.c.id).where(search.c.operation_id == op_id)
            tally = OperationTally(name)
            tally.searches = _count(connection, searches)
            tally.locations = int(
                connection.execute(
                    select(func.count(func.distinct(search.c.location_key))).where(
                        search.c.operation_id == op_id
                    )
                ).scalar_one()
            )
            tally.searches_without_recording = _count(
                connection, searches.where(search.c.recording_sha256.is_(None))
            )
            tally.devices = _count(
                connection,
                select(seized_device.c.id).where(
                    seized_device.c.search_id.in_(searches)
                ),
            )
            cases = select(case_record.c.id).where(case_record.c.operation_id == op_id)
            tally.firs = _count(
                connection, cases.where(case_record.c.kind == CaseKind.FIR.value)
            )
            tally.seizure_reports = _count(
                connection,
                cases.where(case_record.c.kind == CaseKind.SEIZURE_REPORT.value),
            )
            tally.arrests = int(
                connection.execute(
                    select(func.count(func.distinct(arrest.c.person_id))).where(
                        arrest.c.case_id.in_(cases)
                    )
                ).scalar_one()
            )
            tally.open_referrals = _count(
                connection,
                select(safeguarding_referral.c.id).where(
                    safeguarding_referral.c.search_id.in_(searches),
                    safeguarding_referral.c.closed_at.is_(None),
                ),
            )
        return tally


def _count(connection: Connection, query: Any) -> int:
    return int(
        connection.execute(
            select(func.count()).select_from(query.subquery())
        ).scalar_one()
    )


def find_station(connection: Connection, name: str) -> tuple[int, str, str]:
    """A station by its name (or "name, police district"): id, name, district.

    Cyber police stations' names hold a comma themselves ("Cyber Police Station,
    Kollam City"), so the whole name is tried first, then the part before the last
    comma with the district after it.
    """
    rows = _stations_named(connection, name.strip(), None)
    if not rows and "," in name:
        wanted, _, district = (p.strip() for p in name.rpartition(","))
        rows = _stations_named(connection, wanted, district)
    if not rows:
        raise NotFoundError(f"no police station {name!r} (see kavach unit list)")
    if len(rows) > 1:
        raise InputError(
            f"station {name!r} is in several police districts: "
            "write 'station, police district'"
        )
    return int(rows[0][0]), str(rows[0][1]), str(rows[0][2])


def _stations_named(
    connection: Connection, wanted: str, district: str | None
) -> list[Any]:
    query = (
        select(police_station.c.id, police_station.c.name, police_district.c.name)
        .join(
            police_district,
            police_district.c.id == police_station.c.police_district_id,
        )
        .where(func.lower(police_station.c.name) == wanted.lower())
    )
    if district:
        query = query.where(func.lower(police_district.c.name) == district.lower())
    return list(connection.execute(query).all())
