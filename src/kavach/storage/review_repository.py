"""Examiners' decisions on hits and on files no list holds, in the database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.sql import Select

from kavach.errors import InputError, NotFoundError
from kavach.evidence.ports import HitReview
from kavach.examination.material import (
    FileReview,
    KnownMediaRow,
    MaterialDecision,
    MediaReview,
    NewMaterialRow,
)
from kavach.storage.casework_tables import operation, search, seized_device
from kavach.storage.phone_tables import (
    phone_extraction,
    phone_known_media,
    phone_media_review,
)
from kavach.storage.tables import (
    exhibit,
    file_record,
    file_review,
    hash_entry,
    hashset,
    hashset_version,
    hit,
    hit_review,
    scan_run,
)
from kavach.storage.timestamps import aware
from kavach.vocabulary import AgeBand, Review, Role


class SqlReviewRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def review_hit(self, review: HitReview) -> HitReview:
        at = datetime.now(UTC)
        with self._engine.begin() as connection:
            scan_id = _scan_of(connection, hit, review.hit_id, "hit")
            values = _decision_values(review, at)
            connection.execute(
                update(hit)
                .where(hit.c.id == review.hit_id)
                .values(
                    review=values["decision"],
                    review_note=review.note,
                    reviewed_by=review.by,
                    reviewed_at=at,
                    category=review.category,
                    age_band=values["age_band"],
                    self_produced=review.self_produced,
                )
            )
            connection.execute(
                insert(hit_review).values(hit_id=review.hit_id, **values)
            )
        return replace(review, scan_id=scan_id, at=at)

    def hit_history(self, hit_id: int) -> list[HitReview]:
        with self._engine.connect() as connection:
            scan_id = _scan_of(connection, hit, hit_id, "hit")
            rows = _history(connection, hit_review, hit_review.c.hit_id, hit_id)
        return [HitReview(hit_id, scan_id, *_decision_fields(r)) for r in rows]

    def review_file(self, review: FileReview) -> FileReview:
        at = datetime.now(UTC)
        with self._engine.begin() as connection:
            scan_id = _scan_of(connection, file_record, review.file_id, "file record")
            hits = connection.execute(
                select(hit.c.id).where(hit.c.file_id == review.file_id)
            ).scalars()
            hit_ids = ", ".join(str(h) for h in hits)
            if hit_ids:
                raise InputError(
                    f"file {review.file_id} is on a list (hits {hit_ids}): review "
                    "those with 'kavach hits review'"
                )
            connection.execute(
                insert(file_review).values(
                    file_id=review.file_id, **_decision_values(review, at)
                )
            )
        return replace(review, scan_id=scan_id, at=at)

    def file_history(self, file_id: int) -> list[FileReview]:
        with self._engine.connect() as connection:
            scan_id = _scan_of(connection, file_record, file_id, "file record")
            rows = _history(connection, file_review, file_review.c.file_id, file_id)
        return [FileReview(file_id, scan_id, *_decision_fields(r)) for r in rows]

    def review_media(self, review: MediaReview) -> MediaReview:
        at = datetime.now(UTC)
        with self._engine.begin() as connection:
            device = _device_of(connection, review.media_id)
            connection.execute(
                insert(phone_media_review).values(
                    media_id=review.media_id, **_decision_values(review, at)
                )
            )
        return replace(review, device=device, at=at)

    def media_history(self, media_id: int) -> list[MediaReview]:
        with self._engine.connect() as connection:
            device = _device_of(connection, media_id)
            rows = _history(
                connection, phone_media_review, phone_media_review.c.media_id, media_id
            )
        return [MediaReview(media_id, device, *_decision_fields(r)) for r in rows]

    def known_media(self, device: str | None) -> list[KnownMediaRow]:
        latest = _latest_media_reviews()
        query = (
            select(
                phone_known_media,
                seized_device.c.label.label("device"),
                phone_media_review.c.decision,
                phone_media_review.c.category.label("decided_category"),
                phone_media_review.c.by.label("decided_by"),
            )
            .select_from(
                _media_devices()
                .outerjoin(latest, latest.c.media_id == phone_known_media.c.id)
                .outerjoin(phone_media_review, phone_media_review.c.id == latest.c.id)
            )
            .order_by(phone_known_media.c.id)
        )
        if device is not None:
            query = query.where(seized_device.c.label == device)
        with self._engine.connect() as connection:
            return [_known_media(r) for r in connection.execute(query)]

    def material_decisions(self) -> list[MaterialDecision]:
        with self._engine.connect() as connection:
            hits = connection.execute(_hit_decisions()).all()
            files = connection.execute(_file_decisions()).all()
            media = connection.execute(_media_decisions()).all()
        return (
            [_decision(r, False) for r in hits]
            + [_decision(r, True) for r in files]
            + [_decision(r, False) for r in media]
        )

    def new_material(self, scan_id: str | None) -> list[NewMaterialRow]:
        query = (
            select(
                file_record,
                file_review.c.category.label("review_category"),
                file_review.c.age_band,
                file_review.c.self_produced,
                file_review.c.note,
                file_review.c.by,
                file_review.c.at,
                exhibit.c.label.label("exhibit"),
                exhibit.c.case_ref,
            )
            .select_from(_latest_file_reviews())
            .where(file_review.c.decision == Review.CONFIRMED.value)
            .order_by(exhibit.c.label, file_record.c.item_seq, file_record.c.sub_seq)
        )
        if scan_id is not None:
            query = query.where(file_record.c.scan_id == scan_id)
        with self._engine.connect() as connection:
            return [_new_material(r) for r in connection.execute(query)]


def _latest_file_reviews() -> Any:
    """file_review (latest row per file) joined to its file, run and exhibit."""
    latest = (
        select(func.max(file_review.c.id).label("id"))
        .group_by(file_review.c.file_id)
        .subquery()
    )
    return (
        latest.join(file_review, file_review.c.id == latest.c.id)
        .join(file_record, file_record.c.id == file_review.c.file_id)
        .join(scan_run, scan_run.c.id == file_record.c.scan_id)
        .join(exhibit, exhibit.c.id == scan_run.c.exhibit_id)
    )


def _where_seized(joined: Any) -> Any:
    # An exhibit recorded as a seized device belongs to the search's operation.
    return (
        joined.outerjoin(seized_device, seized_device.c.exhibit_id == exhibit.c.id)
        .outerjoin(search, search.c.id == seized_device.c.search_id)
        .outerjoin(operation, operation.c.id == search.c.operation_id)
    )


def _context_columns() -> list[Any]:
    return [
        exhibit.c.label.label("exhibit"),
        exhibit.c.id.label("exhibit_id"),
        file_record.c.sha256,
        scan_run.c.started_at.label("scanned_at"),
        seized_device.c.seized_at,
        operation.c.name.label("operation"),
    ]


def _hit_decisions() -> Select[Any]:
    joined = (
        hit.join(file_record, file_record.c.id == hit.c.file_id)
        .join(scan_run, scan_run.c.id == hit.c.scan_id)
        .join(exhibit, exhibit.c.id == scan_run.c.exhibit_id)
        .join(hash_entry, hash_entry.c.id == hit.c.entry_id)
        .join(hashset_version, hashset_version.c.id == hit.c.version_id)
        .join(hashset, hashset.c.id == hashset_version.c.hashset_id)
    )
    return (
        select(
            *_context_columns(),
            hit.c.review.label("decision"),
            func.coalesce(hit.c.category, hash_entry.c.raw_category, "none").label(
                "category"
            ),
            hit.c.age_band,
            hit.c.reviewed_at.label("decided_at"),
        )
        .select_from(_where_seized(joined))
        # Material is what alert lists name; tool and known lists are not.
        .where(hit.c.reviewed_at.is_not(None), hashset.c.role == Role.ALERT.value)
    )


def _file_decisions() -> Select[Any]:
    return select(
        *_context_columns(),
        file_review.c.decision,
        func.coalesce(file_review.c.category, "none").label("category"),
        file_review.c.age_band,
        file_review.c.at.label("decided_at"),
    ).select_from(_where_seized(_latest_file_reviews()))


def _media_devices() -> Any:
    """phone_known_media joined to the seized device its extraction was filed on."""
    return phone_known_media.join(
        phone_extraction, phone_extraction.c.id == phone_known_media.c.extraction_id
    ).join(seized_device, seized_device.c.id == phone_extraction.c.device_id)


def _latest_media_reviews() -> Any:
    return (
        select(
            phone_media_review.c.media_id,
            func.max(phone_media_review.c.id).label("id"),
        )
        .group_by(phone_media_review.c.media_id)
        .subquery()
    )


def _media_decisions() -> Select[Any]:
    """The latest decision on each reviewed known media record. The exhibit is the
    seized device's; a device not registered as an exhibit counts under its own
    label (a negative id keeps it apart from every exhibit)."""
    latest = _latest_media_reviews()
    joined = (
        _media_devices()
        .join(latest, latest.c.media_id == phone_known_media.c.id)
        .join(phone_media_review, phone_media_review.c.id == latest.c.id)
        .outerjoin(exhibit, exhibit.c.id == seized_device.c.exhibit_id)
        .outerjoin(search, search.c.id == seized_device.c.search_id)
        .outerjoin(operation, operation.c.id == search.c.operation_id)
    )
    return select(
        func.coalesce(exhibit.c.label, seized_device.c.label).label("exhibit"),
        func.coalesce(exhibit.c.id, -seized_device.c.id).label("exhibit_id"),
        phone_known_media.c.sha256,
        phone_extraction.c.read_at.label("scanned_at"),
        seized_device.c.seized_at,
        operation.c.name.label("operation"),
        phone_media_review.c.decision,
        func.coalesce(phone_media_review.c.category, "none").label("category"),
        phone_media_review.c.age_band,
        phone_media_review.c.at.label("decided_at"),
    ).select_from(joined)


def _device_of(connection: Connection, media_id: int) -> str:
    """The label of the device a known media record was read from."""
    label = connection.execute(
        select(seized_device.c.label)
        .select_from(_media_devices())
        .where(phone_known_media.c.id == media_id)
    ).scalar()
    if label is None:
        raise NotFoundError(f"no known media record {media_id}")
    return str(label)


def _known_media(r: Any) -> KnownMediaRow:
    return KnownMediaRow(
        media_id=int(r.id),
        device=r.device,
        app=r.app,
        sha256=r.sha256,
        size=r.size,
        path=r.path,
        at=aware(r.at),
        chat=r.chat_name or r.chat,
        sender=r.sender,
        from_owner=bool(r.from_owner),
        lists=json.loads(r.lists),
        decision=Review(r.decision) if r.decision else Review.PENDING,
        category=r.decided_category,
        decided_by=r.decided_by,
    )


def _decision(r: Any, new_material: bool) -> MaterialDecision:
    return MaterialDecision(
        exhibit=r.exhibit,
        exhibit_id=int(r.exhibit_id),
        sha256=r.sha256,
        decision=Review(r.decision),
        category=str(r.category),
        age_band=r.age_band or AgeBand.UNKNOWN.value,
        decided_at=aware(r.decided_at),
        seen_at=aware(r.seized_at or r.scanned_at),
        operation=r.operation,
        new_material=new_material,
    )


def _new_material(r: Any) -> NewMaterialRow:
    return NewMaterialRow(
        file_id=int(r.id),
        scan_id=r.scan_id,
        exhibit=r.exhibit,
        case_ref=r.case_ref,
        path=r.path,
        size=int(r.size),
        md5=r.md5,
        sha1=r.sha1,
        sha256=r.sha256,
        sha512=r.sha512,
        pdq=r.pdq,
        mime=r.mime,
        category=r.review_category,
        age_band=r.age_band,
        self_produced=r.self_produced,
        note=r.note,
        by=r.by,
        at=aware(r.at),
        deleted=bool(r.deleted),
        carved=bool(r.carved),
        times=r.times,
        camera_make=r.camera_make,
        camera_model=r.camera_model,
        camera_serial=r.camera_serial,
        taken_at=r.taken_at,
        gps_lat=r.gps_lat,
        gps_lon=r.gps_lon,
        place=r.place,
    )


def _scan_of(connection: Connection, table: Any, record_id: int, what: str) -> str:
    """The scan run a hit or file record belongs to; ``NotFoundError`` if none."""
    scan_id = connection.execute(
        select(table.c.scan_id).where(table.c.id == record_id)
    ).scalar()
    if scan_id is None:
        raise NotFoundError(f"no {what} {record_id}")
    return str(scan_id)


def _decision_values(
    review: HitReview | FileReview | MediaReview, at: datetime
) -> dict[str, Any]:
    """A decision as its history table (hit_review, file_review,
    phone_media_review) holds it."""
    return {
        "decision": review.decision.value,
        "category": review.category,
        "age_band": review.age_band.value if review.age_band else None,
        "self_produced": review.self_produced,
        "note": review.note,
        "by": review.by,
        "at": at,
    }


def _history(connection: Connection, table: Any, key: Any, record_id: int) -> list[Any]:
    return list(
        connection.execute(
            select(table).where(key == record_id).order_by(table.c.id)
        ).all()
    )


def _decision_fields(r: Any) -> tuple[Any, ...]:
    """A history row as the fields after the id and scan of HitReview / FileReview:
    decision, note, by, category, age band, self-produced, at."""
    return (
        Review(r.decision),
        r.note,
        r.by,
        r.category,
        AgeBand(r.age_band) if r.age_band else None,
        r.self_produced,
        aware(r.at),
    )
