"""Reads for the court papers: exhibits, seized devices, images, cases, custody."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, or_, select

from kavach.cases.records import CustodyEntry
from kavach.errors import InputError, NotFoundError
from kavach.examination.papers import CaseRow, DeviceRow, ExhibitRef, ImageRow
from kavach.storage.casework_tables import (
    case_record,
    case_section,
    custody_event,
    legal_section,
    person,
    police_station,
    seized_device,
)
from kavach.storage.tables import exhibit, exhibit_image, scan_run
from kavach.storage.timestamps import aware
from kavach.vocabulary import ScanStatus


class SqlPaperQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def exhibit(self, ref: str) -> ExhibitRef:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(exhibit).where(exhibit.c.label == ref).order_by(exhibit.c.id)
            ).all()
            if not rows and ref.isdigit():
                rows = connection.execute(
                    select(exhibit).where(exhibit.c.id == int(ref))
                ).all()
            if not rows:
                raise NotFoundError(f"no exhibit {ref!r} (give its label or id)")
            if len(rows) > 1:
                cases = ", ".join(f"{r.id} (case {r.case_ref or '-'})" for r in rows)
                raise InputError(
                    f"exhibit label {ref!r} names several exhibits: give the id, one "
                    f"of {cases}"
                )
            row = rows[0]
            return ExhibitRef(
                row.id, row.label, row.case_ref, _latest(connection, row.id)
            )

    def device_of(self, exhibit_id: int) -> DeviceRow | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                _devices()
                .where(seized_device.c.exhibit_id == exhibit_id)
                .order_by(seized_device.c.id)
            ).first()
        return None if row is None else _device(row)

    def images(self, exhibit_id: int) -> list[ImageRow]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(exhibit_image)
                .where(exhibit_image.c.exhibit_id == exhibit_id)
                .order_by(exhibit_image.c.id)
            ).all()
        return [
            ImageRow(
                r.path,
                r.kind,
                r.stored_md5,
                r.stored_sha1,
                r.md5,
                r.sha1,
                r.sha256,
                int(r.media_size),
            )
            for r in rows
        ]

    def case(self, case_id: int) -> CaseRow:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(
                    case_record.c.id, case_record.c.number_text, police_station.c.name
                )
                .join(police_station, police_station.c.id == case_record.c.station_id)
                .where(case_record.c.id == case_id)
            ).first()
            if row is None:
                raise NotFoundError(f"no case {case_id}")
            sections = connection.execute(
                select(legal_section.c.code)
                .join(case_section, case_section.c.section_id == legal_section.c.id)
                .where(case_section.c.case_id == case_id)
                .order_by(legal_section.c.code)
            ).scalars()
            return CaseRow(row.id, row.number_text, row.name, list(sections))

    def case_devices(self, case_id: int) -> list[DeviceRow]:
        with self._engine.connect() as connection:
            search_id = connection.execute(
                select(case_record.c.search_id).where(case_record.c.id == case_id)
            ).scalar()
            match = seized_device.c.case_id == case_id
            if search_id is not None:
                match = or_(match, seized_device.c.search_id == search_id)
            rows = connection.execute(
                _devices().where(match).order_by(seized_device.c.seized_at)
            ).all()
        return [_device(r) for r in rows]

    def custody(self, device_id: int) -> list[CustodyEntry]:
        with self._engine.connect() as connection:
            label = connection.execute(
                select(seized_device.c.label).where(seized_device.c.id == device_id)
            ).scalar()
            if label is None:
                raise NotFoundError(f"no seized device {device_id}")
            rows = connection.execute(
                select(custody_event)
                .where(custody_event.c.device_id == device_id)
                .order_by(custody_event.c.at, custody_event.c.id)
            ).all()
        return [
            CustodyEntry(
                label,
                r.step,
                aware(r.at),
                r.by,
                r.place,
                r.remarks,
                r.recorded_by,
                aware(r.recorded_at),
            )
            for r in rows
        ]

    def integrity(self, exhibit_id: int) -> str | None:
        with self._engine.connect() as connection:
            run_id = _latest(connection, exhibit_id)
            if run_id is None:
                return None
            found = connection.execute(
                select(scan_run.c.integrity_sha256).where(scan_run.c.id == run_id)
            ).scalar()
        return None if found is None else str(found)


def _latest(connection: Connection, exhibit_id: int) -> str | None:
    found = connection.execute(
        select(scan_run.c.id)
        .where(
            scan_run.c.exhibit_id == exhibit_id,
            scan_run.c.status == ScanStatus.COMPLETE.value,
        )
        .order_by(scan_run.c.finished_at.desc(), scan_run.c.started_at.desc())
        .limit(1)
    ).scalar()
    return None if found is None else str(found)


def _devices() -> Any:
    return select(seized_device, person.c.name.label("owner")).outerjoin(
        person, person.c.id == seized_device.c.owner_person_id
    )


def _device(r: Any) -> DeviceRow:
    return DeviceRow(
        id=r.id,
        label=r.label,
        device_type=r.device_type,
        make=r.make,
        model=r.model,
        serial=r.serial,
        imei=r.imei,
        seal_number=r.seal_number,
        owner=r.owner,
        seized_at=aware(r.seized_at),
        exhibit_id=r.exhibit_id,
    )
