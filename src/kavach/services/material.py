"""New material (files on no list that an examiner confirms), its export to
partners, and the counts of confirmed material by category and age band."""

from __future__ import annotations

from enum import StrEnum
from typing import TextIO

from kavach.audit.ports import AuditLog
from kavach.evidence.ports import ScanRepository
from kavach.examination.material import (
    FileReview,
    KnownMediaRow,
    MaterialCount,
    MaterialGrouping,
    MediaReview,
    check_decision,
    count_material,
    decision_detail,
)
from kavach.examination.ports import ReviewRepository
from kavach.reporting.material_exports import (
    write_icse_new_material,
    write_vics_new_material,
)
from kavach.vocabulary import AgeBand, Review


class MaterialFormat(StrEnum):
    VICS = "vics"  # a VICS 2.0 Media document
    ICSE = "icse"  # Interpol ICSE's semicolon CSV


class MaterialService:
    def __init__(
        self, reviews: ReviewRepository, scans: ScanRepository, audit: AuditLog
    ) -> None:
        self._reviews = reviews
        self._scans = scans
        self._audit = audit

    def review_file(
        self,
        file_id: int,
        decision: Review,
        actor: str,
        note: str | None = None,
        category: str | None = None,
        age_band: AgeBand | None = None,
        self_produced: bool | None = None,
    ) -> FileReview:
        """Mark a file no list holds as new material (confirmed) or not
        (rejected); kept with every earlier decision; audited."""
        check_decision("file", decision, note, age_band, self_produced)
        review = self._reviews.review_file(
            FileReview(
                file_id, "", decision, note, actor, category, age_band, self_produced
            )
        )
        self._audit.record(
            actor,
            "file.review",
            str(file_id),
            {
                "scan": review.scan_id,
                **decision_detail(decision, note, category, age_band, self_produced),
            },
        )
        return review

    def file_history(self, file_id: int, actor: str) -> list[FileReview]:
        reviews = self._reviews.file_history(file_id)
        self._audit.record(
            actor, "file.history", str(file_id), {"decisions": len(reviews)}
        )
        return reviews

    def known_media(self, device: str | None, actor: str) -> list[KnownMediaRow]:
        """Media records a phone's chats kept whose SHA-256 a list held when read
        ("known file, once present"), with their latest decision; audited."""
        rows = self._reviews.known_media(device)
        self._audit.record(actor, "media.list", device or "all", {"records": len(rows)})
        return rows

    def review_media(
        self,
        media_id: int,
        decision: Review,
        actor: str,
        note: str | None = None,
        category: str | None = None,
        age_band: AgeBand | None = None,
        self_produced: bool | None = None,
    ) -> MediaReview:
        """Confirm or reject a known media record as material: the file is gone,
        so this decision, not the list's word, is what the counts rest on. Kept
        with every earlier decision; audited."""
        check_decision("media record", decision, note, age_band, self_produced)
        review = self._reviews.review_media(
            MediaReview(
                media_id, "", decision, note, actor, category, age_band, self_produced
            )
        )
        detail = decision_detail(decision, note, category, age_band, self_produced)
        self._audit.record(
            actor, "media.review", str(media_id), {"device": review.device, **detail}
        )
        return review

    def media_history(self, media_id: int, actor: str) -> list[MediaReview]:
        reviews = self._reviews.media_history(media_id)
        self._audit.record(
            actor, "media.history", str(media_id), {"decisions": len(reviews)}
        )
        return reviews

    def counts(
        self, actor: str, by: MaterialGrouping | None = None
    ) -> list[MaterialCount]:
        """Confirmed material by category and age band (and exhibit, operation or
        month): what the unit says of the material it seized comes from these
        counts, never from unreviewed hits."""
        rows = count_material(self._reviews.material_decisions(), by)
        self._audit.record(
            actor,
            "stats.material",
            "material",
            {"by": by.value if by else None, "groups": len(rows)},
        )
        return rows

    def export_new_material(
        self,
        scan_id: str | None,
        format: MaterialFormat,
        out: TextIO,
        actor: str,
        agency: str,
    ) -> int:
        """Write confirmed new material for partners; returns the files written."""
        if scan_id is not None:
            scan_id = self._scans.resolve_run(scan_id)
        rows = self._reviews.new_material(scan_id)
        if format is MaterialFormat.VICS:
            count = write_vics_new_material(out, rows)
        else:
            count = write_icse_new_material(out, rows, agency)
        self._audit.record(
            actor,
            "material.export",
            scan_id or "all",
            {"format": format.value, "files": count},
        )
        return count
