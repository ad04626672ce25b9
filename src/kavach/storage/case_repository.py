"""Persons and cases in the database: registration, accused, arrests, charge sheets,
outcomes, the status history and the clocks' facts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kavach.cases.records import NewArrest, NewCase, NewOutcome
from kavach.cases.sections import Section
from kavach.casework_vocabulary import CaseStatus
from kavach.errors import InputError, NotFoundError
from kavach.storage.casework_repository import SqlCaseworkRepository
from kavach.storage.casework_tables import (
    arrest,
    case_record,
    case_section,
    case_status_event,
    charge_sheet,
    court_outcome,
    legal_section,
    person,
    person_link,
    search,
    target,
)
from kavach.storage.database import new_id
from kavach.storage.person_repository import PersonStore
from kavach.storage.timestamps import aware as _aware
from kavach.storage.timestamps import now as _now


class SqlCaseRepository(PersonStore):
    """Implements the case side of ``CaseworkRepository``; stations and operations
    are looked up through the casework repository."""

    def __init__(self, engine: Engine, casework: SqlCaseworkRepository) -> None:
        self._engine = engine
        self._casework = casework

    def station_id(self, connection: Connection, name: str) -> tuple[int, str]:
        return self._casework.station_id(connection, name)

    def operation_id(self, connection: Connection, name: str) -> int:
        return self._casework.operation_id(connection, name)

    # ---- persons and cases ----

    def register_case(self, new: NewCase, actor: str) -> tuple[int, str]:
        try:
            with self._engine.begin() as connection:
                station, district = self.station_id(connection, new.station)
                self._casework.must_exist(connection, search, new.search_id, "search")
                self._casework.must_exist(connection, target, new.target_id, "target")
                if connection.execute(
                    select(case_record.c.id).where(
                        case_record.c.kind == new.kind.value,
                        case_record.c.station_id == station,
                        case_record.c.year == new.year,
                        case_record.c.serial == new.serial,
                    )
                ).first():
                    raise InputError(
                        f"{new.kind.value} {new.serial} of {new.year} at "
                        f"{new.station} is already registered"
                    )
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
            self._case(connection, new.case_id)
            self._person(connection, new.person_id)
            self._link(connection, new.person_id, "case", new.case_id, "accused")
            arrest_id = new_id(
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
            self._link(connection, new.person_id, "arrest", arrest_id, "arrested")
        return arrest_id

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

    def _case(self, connection: Connection, case_id: int) -> Any:
        found = connection.execute(
            select(case_record).where(case_record.c.id == case_id)
        ).first()
        if found is None:
            raise NotFoundError(f"no case {case_id}")
        return found

    def accuse(self, case_id: int, person_id: int) -> None:
        with self._engine.begin() as connection:
            self._case(connection, case_id)
            self._person(connection, person_id)
            self._link(connection, person_id, "case", case_id, "accused")

    def add_charge_sheet(
        self,
        case_id: int,
        filed_at: datetime,
        court: str | None,
        number: str | None,
        actor: str,
    ) -> None:
        with self._engine.begin() as connection:
            self._case(connection, case_id)
            connection.execute(
                insert(charge_sheet).values(
                    case_id=case_id,
                    filed_at=filed_at,
                    court=court,
                    number=number,
                    recorded_by=actor,
                )
            )
            self._status(
                connection,
                case_id,
                CaseStatus.CHARGE_SHEETED,
                actor,
                f"final report (BNSS s.193) {number or ''}".strip(),
            )

    def record_notice(self, case_id: int, at: datetime, actor: str) -> None:
        with self._engine.begin() as connection:
            self._case(connection, case_id)
            connection.execute(
                update(case_record)
                .where(case_record.c.id == case_id)
                .values(progress_notice_at=at)
            )
            connection.execute(
                insert(case_status_event).values(
                    case_id=case_id,
                    status=self._case(connection, case_id).status,
                    at=_now(),
                    by=actor,
                    note=f"progress notice to informant sent {at.isoformat()}",
                )
            )

    def cases(self) -> list[dict[str, Any]]:
        with self._engine.connect() as connection:
            sections = connection.execute(
                select(case_section.c.case_id, legal_section.c.code)
                .join(legal_section, legal_section.c.id == case_section.c.section_id)
                .order_by(legal_section.c.id)
            ).all()
            arrests = connection.execute(
                select(arrest.c.case_id, func.count()).group_by(arrest.c.case_id)
            ).all()
            outcomes = connection.execute(
                select(court_outcome.c.case_id, court_outcome.c.outcome).order_by(
                    court_outcome.c.id
                )
            ).all()
        counted: dict[int, int] = {int(c): int(n) for c, n in arrests}
        rows = self.case_rows()
        for row in rows:
            row["sections"] = [
                code for case_id, code in sections if case_id == row["id"]
            ]
            row["arrests"] = counted.get(row["id"], 0)
            row["outcomes"] = [o for case_id, o in outcomes if case_id == row["id"]]
            row["registered_at"] = row["registered_at"].isoformat()
        return rows

    def sections(self) -> list[dict[str, Any]]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(legal_section).order_by(legal_section.c.id)
            ).all()
        return [
            {
                "code": r.code,
                "act": r.act,
                "section": r.section,
                "title": r.title,
                "repeat_harsher": bool(r.repeat_harsher),
                "pocso": bool(r.pocso),
            }
            for r in rows
        ]

    def add_section(self, section: Section) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(legal_section).values(
                        code=section.code,
                        act=section.act,
                        section=section.section,
                        title=section.title,
                        repeat_harsher=section.repeat_harsher,
                        pocso=section.pocso,
                    )
                )
        except IntegrityError:
            raise InputError(f"section {section.code!r} exists") from None

    def case_detail(self, case_id: int) -> dict[str, Any]:
        """One case whole: its sections, people, arrests, reports, outcomes, history."""
        with self._engine.connect() as connection:
            row = self._case(connection, case_id)
            history = connection.execute(
                select(case_status_event)
                .where(case_status_event.c.case_id == case_id)
                .order_by(case_status_event.c.id)
            ).all()
            arrests = connection.execute(
                select(arrest, person.c.name)
                .join(person, person.c.id == arrest.c.person_id)
                .where(arrest.c.case_id == case_id)
                .order_by(arrest.c.id)
            ).all()
            accused = connection.execute(
                select(person.c.id, person.c.name)
                .join(person_link, person_link.c.person_id == person.c.id)
                .where(
                    person_link.c.record == "case", person_link.c.record_id == case_id
                )
            ).all()
            sheets = connection.execute(
                select(charge_sheet).where(charge_sheet.c.case_id == case_id)
            ).all()
            outcomes = connection.execute(
                select(court_outcome).where(court_outcome.c.case_id == case_id)
            ).all()
        (summary,) = [r for r in self.cases() if r["id"] == case_id]
        return summary | {
            "informant": row.informant,
            "accused": [{"id": a.id, "name": a.name} for a in accused],
            "arrests": [
                {
                    "person": a.name,
                    "at": _aware(a.at).isoformat(),
                    "place": a.place,
                    "by": a.by,
                }
                for a in arrests
            ],
            "charge_sheets": [
                {
                    "filed_at": _aware(c.filed_at).isoformat(),
                    "court": c.court,
                    "number": c.number,
                }
                for c in sheets
            ],
            "outcomes": [
                {
                    "outcome": o.outcome,
                    "decided_at": _aware(o.decided_at).isoformat(),
                    "court": o.court,
                    "sentence": o.sentence,
                }
                for o in outcomes
            ],
            "history": [
                {
                    "status": h.status,
                    "at": _aware(h.at).isoformat(),
                    "by": h.by,
                    "note": h.note,
                }
                for h in history
            ],
        }
