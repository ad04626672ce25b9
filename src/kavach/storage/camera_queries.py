"""Cameras seen in pictures across exhibits: one serial on two exhibits links them."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from kavach.examination.cameras import CameraLink
from kavach.storage.tables import exhibit, file_record, scan_run


class SqlCameraQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def camera_links(self, min_exhibits: int) -> list[CameraLink]:
        camera = (
            file_record.c.camera_make,
            file_record.c.camera_model,
            file_record.c.camera_serial,
        )
        query = (
            select(*camera, exhibit.c.label, func.count())
            .select_from(
                file_record.join(scan_run, scan_run.c.id == file_record.c.scan_id).join(
                    exhibit, exhibit.c.id == scan_run.c.exhibit_id
                )
            )
            .where(file_record.c.camera_serial.is_not(None))
            .group_by(*camera, exhibit.c.label)
        )
        found: dict[tuple[str | None, str | None, str], dict[str, int]] = {}
        with self._engine.connect() as connection:
            for make, model, serial, label, count in connection.execute(query):
                found.setdefault((make, model, serial), {})[label] = int(count)
        return sorted(
            (
                CameraLink(make, model, serial, dict(sorted(exhibits.items())))
                for (make, model, serial), exhibits in found.items()
                if len(exhibits) >= min_exhibits
            ),
            key=lambda link: (-len(link.exhibits), link.serial),
        )
