"""Read-only queries that exports and reports are made from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, func, select

from kavach.errors import NotFoundError
from kavach.reporting.rows import (
    FileRow,
    HitRow,
    ListVersionRow,
    RunRow,
    VerificationRow,
    WarningRow,
)
from kavach.storage.tables import (
    exhibit,
    exhibit_image,
    file_record,
    hash_entry,
    hashset,
    hashset_version,
    hit,
    image_verification,
    scan_run,
    scan_run_version,
    scan_warning,
)
from kavach.storage.timestamps import aware
from kavach.vocabulary import WarningStage


class SqlReportQueries:
    """Implements ``kavach.reporting.ports.ReportQueries``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def run(self, scan_id: str) -> RunRow:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(scan_run, exhibit.c.label, exhibit.c.case_ref)
                .join(exhibit, exhibit.c.id == scan_run.c.exhibit_id)
                .where(scan_run.c.id == scan_id)
            ).first()
            if row is None:
                raise NotFoundError(f"no scan run {scan_id!r}")
            versions = connection.execute(
                select(
                    hashset.c.name,
                    hashset.c.role,
                    hashset.c.source,
                    hashset_version.c.label,
                    hashset_version.c.format,
                    hashset_version.c.file_sha256,
                    hashset_version.c.entry_count,
                    hashset_version.c.imported_at,
                    hashset_version.c.scheme,
                    hashset.c.pdq_threshold,
                )
                .join(
                    scan_run_version,
                    scan_run_version.c.version_id == hashset_version.c.id,
                )
                .join(hashset, hashset.c.id == hashset_version.c.hashset_id)
                .where(scan_run_version.c.scan_id == scan_id)
                .order_by(hashset.c.name)
            ).all()
        return RunRow(
            id=row.id,
            exhibit=row.label,
            case_ref=row.case_ref,
            root=row.root,
            status=row.status,
            started_at=row.started_at,
            finished_at=row.finished_at,
            started_by=row.started_by,
            tool_version=row.tool_version,
            settings=json.loads(row.settings),
            integrity_sha256=row.integrity_sha256,
            lists=[
                ListVersionRow(
                    v.name,
                    v.role,
                    v.source,
                    v.label,
                    v.format,
                    v.file_sha256,
                    v.entry_count,
                    v.imported_at,
                    v.scheme,
                    v.pdq_threshold,
                )
                for v in versions
            ],
        )

    def files(self, scan_id: str) -> Iterator[FileRow]:
        query = (
            select(file_record)
            .where(file_record.c.scan_id == scan_id)
            .order_by(file_record.c.item_seq, file_record.c.sub_seq)
        )
        with self._engine.connect() as connection:
            for r in connection.execution_options(yield_per=2000).execute(query):
                yield FileRow(
                    r.path,
                    r.size,
                    r.md5,
                    r.sha1,
                    r.sha256,
                    r.pdq,
                    r.pdq_quality,
                    r.mime,
                    bool(r.known),
                    r.depth,
                    r.pdq_source,
                    bool(r.deleted),
                    bool(r.carved),
                    r.offset,
                    r.inode,
                    r.times,
                    r.extracted_as,
                    r.sha512,
                    r.id,
                    r.camera_make,
                    r.camera_model,
                    r.camera_serial,
                    r.taken_at,
                    r.gps_lat,
                    r.gps_lon,
                    r.place,
                    aware(r.modified_at),
                    aware(r.created_at),
                )

    def hits(self, scan_id: str) -> list[HitRow]:
        query = (
            select(
                hit.c.id.label("hit_id"),
                file_record.c.path,
                file_record.c.size,
                file_record.c.md5,
                file_record.c.sha1,
                file_record.c.sha256,
                file_record.c.sha512,
                file_record.c.pdq,
                file_record.c.pdq_quality,
                file_record.c.mime,
                hit.c.match_type,
                hit.c.algorithm,
                hit.c.distance,
                hit.c.variant,
                hit.c.review,
                hit.c.detail,
                hashset.c.name.label("hashset"),
                hashset.c.role.label("list_role"),
                hit.c.file_id,
                hit.c.reviewed_by,
                hit.c.reviewed_at,
                hit.c.category.label("review_category"),
                hit.c.age_band,
                hit.c.self_produced,
                hit.c.review_note,
                hashset_version.c.label.label("ver"),
                hash_entry.c.raw_category,
                hash_entry.c.status,
                hash_entry.c.partner_id,
                hash_entry.c.series,
                hash_entry.c.pdq.label("entry_pdq"),
                file_record.c.deleted,
                file_record.c.carved,
                file_record.c.offset,
                file_record.c.inode,
                file_record.c.times,
                file_record.c.extracted_as,
            )
            .join(file_record, file_record.c.id == hit.c.file_id)
            .join(hash_entry, hash_entry.c.id == hit.c.entry_id)
            .join(hashset_version, hashset_version.c.id == hit.c.version_id)
            .join(hashset, hashset.c.id == hashset_version.c.hashset_id)
            .where(hit.c.scan_id == scan_id)
            .order_by(
                file_record.c.item_seq,
                file_record.c.sub_seq,
                hashset.c.name,
                hash_entry.c.seq,
            )
        )
        with self._engine.connect() as connection:
            return [_hit_row(r) for r in connection.execute(query)]

    def verifications(self, scan_id: str) -> list[VerificationRow]:
        """Integrity checks of the images this scan read, made after it."""
        query = (
            select(image_verification, exhibit_image.c.path)
            .join(exhibit_image, exhibit_image.c.id == image_verification.c.image_id)
            .where(image_verification.c.scan_id == scan_id)
            .order_by(image_verification.c.id)
        )
        with self._engine.connect() as connection:
            return [
                VerificationRow(
                    r.path,
                    r.stage,
                    r.algorithm,
                    r.expected,
                    r.computed,
                    bool(r.ok),
                    r.at,
                )
                for r in connection.execute(query)
            ]

    def warnings(self, scan_id: str) -> list[WarningRow]:
        query = (
            select(scan_warning)
            .where(scan_warning.c.scan_id == scan_id)
            .order_by(scan_warning.c.item_seq, scan_warning.c.sub_seq)
        )
        with self._engine.connect() as connection:
            return [
                WarningRow(r.path, r.stage, r.reason) for r in connection.execute(query)
            ]

    def counts(self, scan_id: str) -> dict[str, int]:
        with self._engine.connect() as connection:

            def count(table: Any, *where: Any) -> int:
                query = (
                    select(func.count())
                    .select_from(table)
                    .where(table.c.scan_id == scan_id, *where)
                )
                return int(connection.execute(query).scalar() or 0)

            return {
                "files": count(file_record),
                "known": count(file_record, file_record.c.known.is_(True)),
                "hits": count(hit),
                "files_hit": int(
                    connection.execute(
                        select(func.count(func.distinct(hit.c.file_id))).where(
                            hit.c.scan_id == scan_id
                        )
                    ).scalar()
                    or 0
                ),
                "warnings": count(scan_warning),
                # Disk images, volumes, file systems not read: never a silent zero.
                "containers_not_read": count(
                    scan_warning,
                    scan_warning.c.stage == WarningStage.CONTAINER.value,
                ),
                "pictures": count(file_record, file_record.c.mime.like("image/%")),
                "videos": count(file_record, file_record.c.mime.like("video/%")),
                # Pictures and videos that did not decode (not: unread metadata).
                "undecodable": count(
                    scan_warning,
                    scan_warning.c.stage == WarningStage.DECODE.value,
                    scan_warning.c.reason.not_like("metadata not read%"),
                ),
            }


def _hit_row(r: Any) -> HitRow:
    return HitRow(
        path=r.path,
        size=r.size,
        md5=r.md5,
        sha1=r.sha1,
        sha256=r.sha256,
        sha512=r.sha512,
        pdq=r.pdq,
        pdq_quality=r.pdq_quality,
        mime=r.mime,
        match_type=r.match_type,
        algorithm=r.algorithm,
        distance=r.distance,
        variant=r.variant,
        hashset=r.hashset,
        list_version=r.ver,
        category=r.raw_category,
        status=r.status,
        partner_id=r.partner_id,
        series=r.series,
        entry_pdq=r.entry_pdq,
        review=r.review,
        detail=r.detail,
        hit_id=r.hit_id,
        deleted=bool(r.deleted),
        carved=bool(r.carved),
        offset=r.offset,
        inode=r.inode,
        times=r.times,
        extracted_as=r.extracted_as,
        list_role=r.list_role,
        file_id=r.file_id,
        reviewed_by=r.reviewed_by,
        reviewed_at=aware(r.reviewed_at),
        review_category=r.review_category,
        age_band=r.age_band,
        self_produced=r.self_produced,
        review_note=r.review_note,
    )
