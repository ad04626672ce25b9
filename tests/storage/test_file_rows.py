"""The scan writer's fast paths (SQLite's executemany, PostgreSQL's COPY) store a
file record exactly as SQLAlchemy's own insert stores the same values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, text

from kavach.bootstrap import Kavach
from kavach.evidence.capture_values import CaptureInfo
from kavach.evidence.records import FileResult
from kavach.evidence.refs import Layer, PathSpec
from kavach.evidence.sources.interface import Origin
from kavach.storage.scan_repository import (
    FILE_COLUMNS,
    SqlScanRepository,
    _file_row,
)
from kavach.storage.tables import file_record, scan_run
from kavach.vocabulary import PdqSource


def _records(item: int) -> list[FileResult]:
    plain = FileResult(
        item, 0, PathSpec.file(b"DCIM/a.jpg"), 0, 4096, "a" * 32, "b" * 40,
        "c" * 64, "image/jpeg", False,
    )  # fmt: skip
    inside = PathSpec.file(b"disk.E01").child(Layer.VOLUME, b"p2")
    full = FileResult(
        item,
        1,
        inside.child(Layer.FS, b"/Users/x/\xff\x00odd.zip").child(
            Layer.MEMBER, b"in!/side.png"
        ),
        2,
        123_456_789_012,
        "d" * 32,
        "e" * 40,
        "f" * 64,
        "image/png",
        True,
        Origin(
            deleted=True,
            carved=True,
            offset=1 << 40,
            inode=77,
            times='{"modified": "2024-05-01T10:00:00+05:30"}',
            extracted_as=PathSpec.file(b"extract/odd.zip"),
            modified=1_714_539_600.25,
            created=0.0,
        ),
        sha512="0" * 128,
        pdq="1" * 64,
        pdq_quality=88,
        pdq_source=PdqSource.REFERENCE,
        capture=CaptureInfo(
            "Xiaomi", "Redmi 9" * 40, "SN1", "2024-05-01T10:00:00", 9.9, 76.3
        ),
        place="Ernakulam",
    )
    return [plain, full]


def _run(repository: SqlScanRepository, scan_id: str) -> None:
    exhibit_id = repository.ensure_exhibit(None, "phone", "/evidence/phone", "t")
    repository.create_run(scan_id, exhibit_id, b"/evidence/phone", {}, "0", "t", [])


def _stored(app: Kavach, scan_id: str) -> list[tuple[Any, ...]]:
    names = ", ".join(f'"{c}"' for c in FILE_COLUMNS if c != "scan_id")
    with app.engine.connect() as connection:
        rows = connection.execute(
            text(
                f"SELECT {names} FROM file_record WHERE scan_id = :s ORDER BY sub_seq"
            ),
            {"s": scan_id},
        )
        return [tuple(row) for row in rows]


def test_a_written_batch_is_stored_as_sqlalchemy_stores_it(app: Kavach) -> None:
    repository = SqlScanRepository(app.engine)
    fast, reference = "a" * 32, "b" * 32
    _run(repository, fast)
    _run(repository, reference)
    with app.engine.begin() as connection:
        for n, record in enumerate(_records(5)):
            values = dict(zip(FILE_COLUMNS, _file_row(reference, record), strict=True))
            connection.execute(insert(file_record).values(id=1000 + n, **values))

    repository.write_batch(fast, _records(5), [], [], checkpoint=6)

    assert _stored(app, fast) == _stored(app, reference)
    stored = _stored(app, fast)
    assert len(stored) == 2
    assert stored[1][FILE_COLUMNS.index("camera_model") - 1] == ("Redmi 9" * 40)[:200]
    with app.engine.connect() as connection:
        checkpoint = connection.execute(
            select(scan_run.c.checkpoint).where(scan_run.c.id == fast)
        ).scalar_one()
        ids = list(
            connection.execute(
                select(file_record.c.id).where(file_record.c.scan_id == fast)
            ).scalars()
        )
    assert checkpoint == 6
    # SQLite: after the largest id stored (the reference rows'); PostgreSQL: from
    # the sequence, which the reference rows' explicit ids did not move.
    sqlite = app.engine.dialect.name == "sqlite"
    assert sorted(ids) == ([1002, 1003] if sqlite else [1, 2])


def test_batches_read_back_as_the_records_written(app: Kavach) -> None:
    repository = SqlScanRepository(app.engine)
    scan_id = "c" * 32
    _run(repository, scan_id)
    repository.write_batch(scan_id, _records(0), [], [], checkpoint=1)
    repository.write_batch(scan_id, _records(1), [], [], checkpoint=2)
    with app.engine.connect() as connection:
        rows = connection.execute(
            select(file_record)
            .where(file_record.c.scan_id == scan_id)
            .order_by(file_record.c.id)
        ).all()
    assert [(r.item_seq, r.sub_seq) for r in rows] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert len({r.id for r in rows}) == 4
    full = rows[3]
    assert PathSpec.decode(bytes(full.spec)) == _records(1)[1].path
    assert bytes(full.path_bytes) == _records(1)[1].path.raw()
    assert full.path == _records(1)[1].path.display()
    assert full.deleted is True and full.carved is True and full.known is True
    assert full.offset == 1 << 40 and full.size == 123_456_789_012
    assert full.modified_at.isoformat() == "2024-05-01T05:00:00.250000+00:00"
    assert full.created_at.isoformat() == "1970-01-01T00:00:00+00:00"
    assert full.extracted_as == "extract/odd.zip"
    assert (full.gps_lat, full.gps_lon, full.place) == (9.9, 76.3, "Ernakulam")
    assert rows[0].modified_at is None and rows[0].camera_make is None
