"""Registered forensic images and every integrity check made on them."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from kavach.evidence.intake import Check, ImageFacts, RegisteredImage
from kavach.evidence.ports import ScanRepository
from kavach.storage.tables import exhibit_image, image_verification


class SqlImageRepository:
    """Implements ``kavach.evidence.ports.ImageRepository``."""

    def __init__(self, engine: Engine, scans: ScanRepository) -> None:
        self._engine = engine
        self._scans = scans

    def register(
        self, facts: ImageFacts, case_ref: str | None, label: str, actor: str
    ) -> RegisteredImage:
        exhibit_id = self._scans.ensure_exhibit(case_ref, label, facts.path, actor)
        with self._engine.begin() as connection:
            found = connection.execute(
                select(exhibit_image.c.id).where(exhibit_image.c.path == facts.path)
            ).scalar()
            if found is None:
                found = connection.execute(
                    insert(exhibit_image)
                    .values(
                        exhibit_id=exhibit_id,
                        path=facts.path,
                        kind=facts.kind,
                        segments=json.dumps(facts.segments),
                        header=json.dumps(facts.header),
                        stored_md5=facts.stored.get("md5"),
                        stored_sha1=facts.stored.get("sha1"),
                        md5=facts.md5,
                        sha1=facts.sha1,
                        sha256=facts.sha256,
                        media_size=facts.media_size,
                        registered_at=datetime.now(UTC),
                        registered_by=actor,
                    )
                    .returning(exhibit_image.c.id)
                ).scalar_one()
        return RegisteredImage(
            int(found), facts.path, facts.kind, facts.sha256, dict(facts.stored)
        )

    def record_checks(
        self,
        image_id: int,
        stage: str,
        checks: Sequence[Check],
        scan_id: str | None = None,
    ) -> None:
        if not checks:
            return
        now = datetime.now(UTC)
        with self._engine.begin() as connection:
            connection.execute(
                insert(image_verification),
                [
                    {
                        "image_id": image_id,
                        "scan_id": scan_id,
                        "at": now,
                        "stage": stage,
                        "algorithm": c.algorithm,
                        "expected": c.expected,
                        "computed": c.computed,
                        "ok": c.ok,
                    }
                    for c in checks
                ],
            )

    def find(self, path: str) -> RegisteredImage | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(exhibit_image).where(exhibit_image.c.path == path)
            ).first()
        return None if row is None else _registered(row)

    def under(self, root: str) -> list[RegisteredImage]:
        """Registered images at ``root`` or inside the folder ``root``."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(exhibit_image)).all()
        prefix = root.rstrip(os.sep) + os.sep
        return [
            _registered(r) for r in rows if r.path == root or r.path.startswith(prefix)
        ]


def _registered(row: Any) -> RegisteredImage:
    stored = {
        k: v for k, v in (("md5", row.stored_md5), ("sha1", row.stored_sha1)) if v
    }
    return RegisteredImage(row.id, row.path, row.kind, row.sha256, stored)
