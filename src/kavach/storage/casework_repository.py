"""Operations, searches, seized devices, custody, persons and cases in the database."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from kavach.cases.records import (
    CustodyEntry,
    NewArrest,
    NewCase,
    NewCustodyStep,
    NewDevice,
    NewOperation,
    NewOutcome,
    NewPerson,
    NewSearch,
    OperationTally,
)
from kavach.cases.sections import SEED
from kavach.casework_vocabulary import CaseKind, CaseStatus
from kavach.errors import InputError, NotFoundError
from kavach.storage.casework_tables import (
    arrest,
    case_record,
    case_section,
    case_status_event,
    court_outcome,
    custody_event,
    legal_section,
    operation,
    operation_target,
    person,
    person_identifier,
    police_district,
    police_station,
    safeguarding_referral,
    search,
    seized_device,
)
from kavach.storage.database import new_id


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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
        wanted, _, district = (p.strip() for p in name.partition(","))
        query = (
            select(police_station.c.id, police_district.c.name)
            .join(
                police_district,
                police_district.c.id == police_station.c.police_district_id,
            )
            .where(func.lower(police_station.c.name) == wanted.lower())
        )
        if district:
            query = query.where(func.lower(police_district.c.name) == district.lower())
        rows = connection.execute(query).all()
        if not rows:
            raise NotFoundError(f"no police station {name!r} (see kavach unit list)")
        if len(rows) > 1:
            raise InputError(
                f"station {name!r} is in several police districts: "
                "write 'station, police district'"
            )
        return int(rows[0][0]), str(rows[0][1])

    def record_search(self, new: NewSearch, actor: str) -> int:
        with self._engine.begin() as connection:
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
        with self._engine.begin() as connection:
            device_id = self._device_id(connection, new.device)
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

    # ---- persons and cases ----

    def add_person(self, new: NewPerson, actor: str) -> int:
        from kavach.tips.model import Identifier, IdentifierKind

        with self._engine.begin() as connection:
            person_id = new_id(
                connection.execute(
                    insert(person).values(
                        name=new.name,
                        name_malayalam=new.name_malayalam,
                        father_name=new.father_name,
                        date_of_birth=new.date_of_birth,
                        age=new.age,
                        address=new.address,
                        pincode=new.pincode,
                        created_at=_now(),
                        created_by=actor,
                    )
                )
            )
            for kind, service, value in new.identifiers:
                key = Identifier(IdentifierKind(kind), value, service).key()
                connection.execute(
                    insert(person_identifier).values(
                        person_id=person_id,
                        kind=kind,
                        service=service,
                        value=value,
                        key=key,
                    )
                )
        return person_id

    def register_case(self, new: NewCase, actor: str) -> tuple[int, str]:
        try:
            with self._engine.begin() as connection:
                station, district = self.station_id(connection, new.station)
                op_id = (
                    self.operation_id(connection, new.operation)
                    if new.operation
                    else None
                )
                number = new.number_text(district)
                case_id = new_id(
                    connection.execute(
                        insert(case_record).values(
                            kind=new.kind.value,
                            station_id=station,
                            year=new.year,
                            serial=new.serial,
                            number_text=number,
                            registered_at=new.registered_at,
                            operation_id=op_id,
                            search_id=new.search_id,
                            target_id=new.target_id,
                            status=CaseStatus.REGISTERED.value,
                            informant=new.informant,
                            created_by=actor,
                        )
                    )
                )
                for code in new.sections:
                    connection.execute(
                        insert(case_section).values(
                            case_id=case_id,
                            section_id=self._section_id(connection, code),
                        )
                    )
                self._status(connection, case_id, CaseStatus.REGISTERED, actor, None)
        except IntegrityError:
            raise InputError(
                f"{new.kind.value} {new.serial} of {new.year} at "
                f"{new.station} is already registered"
            ) from None
        return case_id, number

    def _section_id(self, connection: Connection, code: str) -> int:
        found = connection.execute(
            select(legal_section.c.id).where(
                func.lower(legal_section.c.code) == code.strip().lower()
            )
        ).scalar()
        if found is None:
            known = ", ".join(
                connection.execute(select(legal_section.c.code)).scalars()
            )
            raise InputError(f"unknown section {code!r} (known: {known})")
        return int(found)

    def _status(
        self,
        connection: Connection,
        case_id: int,
        status: CaseStatus,
        actor: str,
        note: str | None,
    ) -> None:
        from sqlalchemy import update

        connection.execute(
            update(case_record)
            .where(case_record.c.id == case_id)
            .values(status=status.value)
        )
        connection.execute(
            insert(case_status_event).values(
                case_id=case_id, status=status.value, at=_now(), by=actor, note=note
            )
        )

    def add_arrest(self, new: NewArrest, actor: str) -> int:
        with self._engine.begin() as connection:
            return new_id(
                connection.execute(
                    insert(arrest).values(
                        case_id=new.case_id,
                        person_id=new.person_id,
                        at=new.at,
                        place=new.place,
                        by=new.by,
                        recorded_by=actor,
                    )
                )
            )

    def add_outcome(self, new: NewOutcome, actor: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                insert(court_outcome).values(
                    case_id=new.case_id,
                    person_id=new.person_id,
                    outcome=new.outcome.value,
                    decided_at=new.decided_at,
                    court=new.court,
                    sentence=new.sentence,
                    recorded_by=actor,
                )
            )
            self._status(
                connection, new.case_id, CaseStatus.DISPOSED, actor, new.outcome.value
            )

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

    def case_rows(self) -> list[dict[str, Any]]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(case_record).order_by(case_record.c.id)
            ).all()
            pocso = set(
                connection.execute(
                    select(case_section.c.case_id)
                    .join(
                        legal_section, legal_section.c.id == case_section.c.section_id
                    )
                    .where(legal_section.c.pocso.is_(True))
                ).scalars()
            )
            charged = set(
                connection.execute(
                    select(case_status_event.c.case_id).where(
                        case_status_event.c.status == CaseStatus.CHARGE_SHEETED.value
                    )
                ).scalars()
            )
        return [
            {
                "id": r.id,
                "number": r.number_text,
                "kind": r.kind,
                "status": r.status,
                "registered_at": _aware(r.registered_at),
                "pocso": r.id in pocso,
                "charge_sheeted": r.id in charged,
                "notice_sent": r.progress_notice_at is not None,
            }
            for r in rows
        ]


def _count(connection: Connection, query: Any) -> int:
    return int(
        connection.execute(
            select(func.count()).select_from(query.subquery())
        ).scalar_one()
    )
