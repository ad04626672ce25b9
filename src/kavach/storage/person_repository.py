"""Persons in the database: their identifiers and the records they appear in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from kavach.cases.records import NewPerson
from kavach.errors import NotFoundError
from kavach.storage.casework_tables import (
    person,
    person_identifier,
    person_link,
)
from kavach.storage.database import new_id
from kavach.storage.timestamps import now as _now


class PersonStore:
    """The person side of ``SqlCaseRepository``."""

    _engine: Engine

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

    def _person(self, connection: Connection, person_id: int) -> None:
        if (
            connection.execute(
                select(person.c.id).where(person.c.id == person_id)
            ).first()
            is None
        ):
            raise NotFoundError(f"no person {person_id}")

    def link(self, person_id: int, record: str, record_id: int, role: str) -> None:
        """Say that a person appears in a record (tip, search, case, arrest, device)."""
        with self._engine.begin() as connection:
            self._person(connection, person_id)
            self._link(connection, person_id, record, record_id, role)

    def _link(
        self,
        connection: Connection,
        person_id: int,
        record: str,
        record_id: int,
        role: str,
    ) -> None:
        exists = connection.execute(
            select(person_link.c.id).where(
                person_link.c.person_id == person_id,
                person_link.c.record == record,
                person_link.c.record_id == record_id,
                person_link.c.role == role,
            )
        ).first()
        if exists is None:
            connection.execute(
                insert(person_link).values(
                    person_id=person_id, record=record, record_id=record_id, role=role
                )
            )

    def persons(self) -> list[dict[str, Any]]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(person).order_by(person.c.id)).all()
            identifiers = connection.execute(
                select(person_identifier).order_by(person_identifier.c.id)
            ).all()
            links = connection.execute(
                select(person_link).order_by(person_link.c.id)
            ).all()
        result = []
        for r in rows:
            result.append(
                {
                    "id": r.id,
                    "name": r.name,
                    "name_malayalam": r.name_malayalam,
                    "father_name": r.father_name,
                    "date_of_birth": r.date_of_birth.isoformat()
                    if r.date_of_birth
                    else None,
                    "age": r.age,
                    "address": r.address,
                    "pincode": r.pincode,
                    "identifiers": [
                        {"kind": i.kind, "value": i.value, "service": i.service}
                        for i in identifiers
                        if i.person_id == r.id
                    ],
                    "records": [
                        {"record": k.record, "id": k.record_id, "role": k.role}
                        for k in links
                        if k.person_id == r.id
                    ],
                }
            )
        return result
