"""Cameras shared between exhibits, from the pictures' own metadata."""

from __future__ import annotations

from kavach.audit.ports import AuditLog
from kavach.errors import InputError
from kavach.examination.cameras import CameraLink, CameraQueries


class CameraService:
    def __init__(self, queries: CameraQueries, audit: AuditLog) -> None:
        self._queries = queries
        self._audit = audit

    def links(self, actor: str, min_exhibits: int = 2) -> list[CameraLink]:
        """Cameras (by serial) whose pictures lie on ``min_exhibits`` or more
        exhibits; audited."""
        if min_exhibits < 1:
            raise InputError("--min-exhibits: at least 1")
        links = self._queries.camera_links(min_exhibits)
        self._audit.record(
            actor,
            "cameras.links",
            "cameras",
            {"min": min_exhibits, "found": len(links)},
        )
        return links
