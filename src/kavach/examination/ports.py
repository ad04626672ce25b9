"""What the examination services need from storage (Protocols; annotations only)."""

from __future__ import annotations

from typing import Protocol

from kavach.evidence.ports import HitReview
from kavach.examination.material import (
    FileReview,
    KnownMediaRow,
    MaterialDecision,
    MediaReview,
    NewMaterialRow,
)


class ReviewRepository(Protocol):
    """Examiners' decisions on hits and on files no list holds; each call one
    transaction, every decision kept (the history tables are append-only)."""

    def review_hit(self, review: HitReview) -> HitReview:
        """Record a decision on a hit and keep it in its history; ``NotFoundError``
        for an unknown id."""
        ...

    def hit_history(self, hit_id: int) -> list[HitReview]:
        """Every decision on a hit, oldest first."""
        ...

    def review_file(self, review: FileReview) -> FileReview:
        """Record a decision on a file that no list holds; ``NotFoundError`` for an
        unknown id, ``InputError`` for a file with hits (review those)."""
        ...

    def file_history(self, file_id: int) -> list[FileReview]:
        """Every decision on a file, oldest first."""
        ...

    def review_media(self, review: MediaReview) -> MediaReview:
        """Record a decision on a known media record; ``NotFoundError`` for an
        unknown id."""
        ...

    def media_history(self, media_id: int) -> list[MediaReview]:
        """Every decision on a known media record, oldest first."""
        ...

    def known_media(self, device: str | None) -> list[KnownMediaRow]:
        """Known media records (of one seized device, or all) with their latest
        decision."""
        ...

    def material_decisions(self) -> list[MaterialDecision]:
        """The current decision on every reviewed hit of an alert list, every
        reviewed file on no list and every reviewed known media record, with the
        exhibit, operation and date it belongs to."""
        ...

    def new_material(self, scan_id: str | None) -> list[NewMaterialRow]:
        """Files whose latest decision confirms them as new material (all runs, or
        one)."""
        ...
