"""Exhibits, scan runs and their records in the database."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, and_, insert, or_, select, text, tuple_, update

from kavach.errors import InputError, NotFoundError
from kavach.evidence.ports import (
    RunSummary,
    ScanListVersion,
    ScanRunInfo,
)
from kavach.storage.tables import (
    exhibit,
    file_record,
    hash_entry,
    hashset,
    hashset_version,
    hit,
    scan_run,
    scan_run_version,
    scan_warning,
)
from kavach.vocabulary import Role, ScanStatus

if TYPE_CHECKING:
    from kavach.evidence.records import FileResult, WarningResult
    from kavach.matching.matcher import Match


class SqlScanRepository:
    """Implements ``kavach.evidence.ports.ScanRepository``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def ensure_exhibit(
        self, case_ref: str | None, label: str, path: str, actor: str
    ) -> int:
        condition = and_(
            exhibit.c.label == label,
            exhibit.c.case_ref.is_(None)
            if case_ref is None
            else exhibit.c.case_ref == case_ref,
        )
        with self._engine.begin() as connection:
            found = connection.execute(select(exhibit.c.id).where(condition)).scalar()
            if found is not None:
                return int(found)
            return int(
                connection.execute(
                    insert(exhibit)
                    .values(
                        case_ref=case_ref,
                        label=label,
                        path=path,
                        created_at=datetime.now(UTC),
                        created_by=actor,
                    )
                    .returning(exhibit.c.id)
                ).scalar_one()
            )

    def create_run(
        self,
        scan_id: str,
        exhibit_id: int,
        root_bytes: bytes,
        settings: dict[str, Any],
        tool_version: str,
        actor: str,
        version_ids: Sequence[int],
    ) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                insert(scan_run).values(
                    id=scan_id,
                    exhibit_id=exhibit_id,
                    root=root_bytes.decode("utf-8", "backslashreplace"),
                    root_bytes=root_bytes,
                    status=ScanStatus.RUNNING.value,
                    **_this_process(),
                    started_at=datetime.now(UTC),
                    started_by=actor,
                    tool_version=tool_version,
                    settings=json.dumps(settings, sort_keys=True),
                    checkpoint=0,
                )
            )
            if version_ids:
                connection.execute(
                    insert(scan_run_version),
                    [{"scan_id": scan_id, "version_id": v} for v in version_ids],
                )

    def get_run(self, scan_id: str) -> ScanRunInfo:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(scan_run).where(scan_run.c.id == scan_id)
            ).first()
            if row is None:
                raise NotFoundError(f"no scan run {scan_id!r}")
            versions = connection.execute(
                select(
                    hashset_version.c.id,
                    hashset_version.c.uid,
                    hashset.c.name,
                    hashset_version.c.label,
                    hashset.c.role,
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
        return ScanRunInfo(
            id=row.id,
            exhibit_id=row.exhibit_id,
            root_bytes=bytes(row.root_bytes),
            status=ScanStatus(row.status),
            checkpoint=row.checkpoint,
            settings=json.loads(row.settings),
            versions=tuple(
                ScanListVersion(
                    v.id, v.uid, v.name, v.label, Role(v.role), v.pdq_threshold
                )
                for v in versions
            ),
        )

    def resolve_run(self, prefix: str) -> str:
        wanted = prefix.strip().lower()
        if not wanted or not all(c in "0123456789abcdef" for c in wanted):
            raise NotFoundError(f"no scan run {prefix!r} (ids are hexadecimal)")
        with self._engine.connect() as connection:
            found = (
                connection.execute(
                    select(scan_run.c.id)
                    .where(scan_run.c.id.like(wanted + "%"))
                    .order_by(scan_run.c.id)
                    .limit(6)
                )
                .scalars()
                .all()
            )
        if not found:
            raise NotFoundError(f"no scan run {prefix!r} (see 'kavach runs')")
        if len(found) > 1 and wanted not in found:
            shown = ", ".join(found[:5])
            raise InputError(f"scan run {prefix!r} is ambiguous: {shown} ...")
        return wanted if wanted in found else str(found[0])

    def runs(self) -> list[RunSummary]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(scan_run, exhibit.c.label, exhibit.c.case_ref)
                .join(exhibit, exhibit.c.id == scan_run.c.exhibit_id)
                .order_by(scan_run.c.started_at, scan_run.c.id)
            ).all()
        return [
            RunSummary(
                r.id,
                ScanStatus(r.status),
                r.label,
                r.case_ref,
                r.started_by,
                r.started_at,
                r.finished_at,
                r.host,
                r.pid,
            )
            for r in rows
        ]

    def latest_run_id(self) -> str:
        with self._engine.connect() as connection:
            found = connection.execute(
                select(scan_run.c.id).order_by(scan_run.c.started_at.desc()).limit(1)
            ).scalar()
        if found is None:
            raise NotFoundError("no scan has been run yet")
        return str(found)

    def write_batch(
        self,
        scan_id: str,
        files: Sequence[FileResult],
        matches: Sequence[Match],
        warnings: Sequence[WarningResult],
        checkpoint: int,
    ) -> None:
        """One transaction: the batch's records, hits, warnings and the checkpoint."""
        with self._engine.begin() as connection:
            # The checkpoint first: on SQLite this write takes the database's write
            # lock, so the ids the file rows are given below stay this batch's own.
            connection.execute(
                update(scan_run)
                .where(scan_run.c.id == scan_id)
                .values(checkpoint=checkpoint)
            )
            file_ids: list[int] = []
            if files:
                rows = [_file_row(scan_id, f) for f in files]
                if connection.dialect.name == "postgresql":
                    file_ids = _copy_file_rows(connection, rows)
                else:
                    file_ids = _insert_file_rows_sqlite(connection, rows)
            if matches:
                entry_ids = self._entry_ids(connection, matches)
                connection.execute(
                    insert(hit),
                    [
                        {
                            "scan_id": scan_id,
                            "file_id": file_ids[m.file],
                            "entry_id": entry_ids[(m.version_id, m.seq)],
                            "version_id": m.version_id,
                            "algorithm": m.algorithm.value,
                            "match_type": m.match_type.value,
                            "distance": m.distance,
                            "variant": m.variant,
                            "detail": m.detail,
                        }
                        for m in matches
                    ],
                )
            if warnings:
                connection.execute(
                    insert(scan_warning),
                    [
                        {
                            "scan_id": scan_id,
                            "item_seq": w.item_seq,
                            "sub_seq": w.sub_seq,
                            "path": w.path.display(),
                            "path_bytes": w.path.raw(),
                            "spec": w.path.encode(),
                            "stage": w.stage.value,
                            "reason": w.reason,
                        }
                        for w in warnings
                    ],
                )

    @staticmethod
    def _entry_ids(
        connection: Any, matches: Sequence[Match]
    ) -> dict[tuple[int, int], int]:
        wanted = sorted({(m.version_id, m.seq) for m in matches})
        ids: dict[tuple[int, int], int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = connection.execute(
                select(
                    hash_entry.c.version_id, hash_entry.c.seq, hash_entry.c.id
                ).where(
                    or_(
                        *[
                            tuple_(hash_entry.c.version_id, hash_entry.c.seq) == pair
                            for pair in chunk
                        ]
                    )
                )
            )
            ids.update({(r.version_id, r.seq): r.id for r in rows})
        return ids

    def set_status(
        self, scan_id: str, status: ScanStatus, integrity_sha256: str | None = None
    ) -> None:
        values: dict[str, Any] = {"status": status.value}
        if status is ScanStatus.RUNNING:
            values.update(_this_process())
        if status in (ScanStatus.COMPLETE, ScanStatus.INTERRUPTED):
            values["finished_at"] = datetime.now(UTC)
        if integrity_sha256 is not None:
            values["integrity_sha256"] = integrity_sha256
        with self._engine.begin() as connection:
            connection.execute(
                update(scan_run).where(scan_run.c.id == scan_id).values(**values)
            )

    def top_level_digests(self, scan_id: str) -> list[tuple[bytes, str]]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(file_record.c.path_bytes, file_record.c.sha256).where(
                    file_record.c.scan_id == scan_id, file_record.c.depth == 0
                )
            ).all()
        return sorted((bytes(r.path_bytes), r.sha256) for r in rows)


def _copy_file_rows(connection: Any, rows: list[tuple[Any, ...]]) -> list[int]:
    """PostgreSQL: the rows by COPY, their ids drawn from the sequence first.

    A multi-row INSERT ... RETURNING of a batch (512 rows x 35 columns) spent 0.3 s
    in psycopg turning its 18,000 placeholders into $n (bench/small_files.py:
    14.5 s of writes for 20,000 files, against 4.3 s on SQLite); COPY sends the
    values with no statement to parse, in the same transaction.
    """
    ids = [
        int(i)
        for i in connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('file_record', 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"count": len(rows)},
        ).scalars()
    ]
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor:
        with cursor.copy(f"COPY file_record ({_NAMES}) FROM STDIN") as copy:
            for id_, row in zip(ids, rows, strict=True):
                copy.write_row([id_, *(_copy_value(v) for v in row)])
    return ids


def _insert_file_rows_sqlite(connection: Any, rows: list[tuple[Any, ...]]) -> list[int]:
    """SQLite: the rows by one ``executemany`` of plain tuples, with ids given here.

    SQLAlchemy's ``INSERT ... RETURNING`` in parameter order runs one statement a
    row on SQLite and turns every row's parameters itself: 2.5 s of a 4 s scan of
    20,000 small files (bench/small_files.py). The caller's transaction already
    holds the write lock, so the ids after the largest stored one are free. The
    columns whose type converts a value (the times) still go through that type's
    own conversion, so a row is stored exactly as SQLAlchemy's insert stores it
    (tests/storage/test_file_rows.py).
    """
    # A bare max() of the key is one step down the tree; coalesce(max(id), 0)
    # would make SQLite read the whole table, every batch.
    largest = connection.execute(text("SELECT max(id) FROM file_record")).scalar()
    start = largest or 0
    ids = range(start + 1, start + 1 + len(rows))
    converting = _converters(connection.dialect)
    values = []
    for id_, row in zip(ids, rows, strict=True):
        if converting:
            changed = list(row)
            for index, convert in converting:
                changed[index] = convert(changed[index])
            row = tuple(changed)
        values.append((id_, *row))
    marks = ", ".join("?" * (len(FILE_COLUMNS) + 1))
    driver = connection.connection.driver_connection
    driver.executemany(f"INSERT INTO file_record ({_NAMES}) VALUES ({marks})", values)
    return list(ids)


def _converters(dialect: Any) -> list[tuple[int, Any]]:
    """(position, conversion) of the columns whose type changes a value on its
    way into ``dialect``; the others go in as they are."""
    found = []
    for index, name in enumerate(FILE_COLUMNS):
        kind = file_record.c[name].type
        convert = kind.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            found.append((index, convert))
    return found


def _copy_value(value: Any) -> Any:
    # UtcDateTime's rule, which COPY bypasses: store the instant in UTC.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


# The columns of a file record as the writer sends them, in this order.
FILE_COLUMNS = (
    "scan_id", "item_seq", "sub_seq", "path", "path_bytes", "spec", "depth",
    "size", "md5", "sha1", "sha256", "sha512", "pdq", "pdq_quality", "pdq_source",
    "mime", "known", "deleted", "carved", "offset", "inode", "times",
    "camera_make", "camera_model", "camera_serial", "taken_at", "gps_lat",
    "gps_lon", "place", "modified_at", "created_at", "extracted_as",
)  # fmt: skip
_NAMES = ", ".join(f'"{c}"' for c in ["id", *FILE_COLUMNS])
_NO_CAPTURE = (None,) * 7


def _file_row(scan_id: str, record: FileResult) -> tuple[Any, ...]:
    """One file record's values, in ``FILE_COLUMNS`` order."""
    origin = record.origin
    return (
        scan_id,
        record.item_seq,
        record.sub_seq,
        record.path.display(),
        record.path.raw(),
        record.path.encode(),
        record.depth,
        record.size,
        record.md5,
        record.sha1,
        record.sha256,
        record.sha512,
        record.pdq,
        record.pdq_quality,
        None if record.pdq_source is None else record.pdq_source.value,
        record.mime,
        record.known,
        origin.deleted,
        origin.carved,
        origin.offset,
        origin.inode,
        origin.times,
        *_capture(record),
        _moment(origin.modified),
        _moment(origin.created),
        None if origin.extracted_as is None else origin.extracted_as.display(),
    )


def _capture(record: FileResult) -> tuple[Any, ...]:
    capture = record.capture
    if capture is None:
        return _NO_CAPTURE
    return (
        _cut(capture.camera_make, 200),
        _cut(capture.camera_model, 200),
        _cut(capture.camera_serial, 200),
        _cut(capture.taken_at, 40),
        capture.gps_lat,
        capture.gps_lon,
        _cut(record.place, 120),
    )


def _cut(text: str | None, width: int) -> str | None:
    # Metadata comes from the evidence: a hostile file may write any length.
    return None if text is None else text[:width]


def _moment(seconds: float | None) -> datetime | None:
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):  # a corrupt time on a damaged disk
        return None


def _this_process() -> dict[str, Any]:
    """Host and pid of the process marking a run running (``RunSummary.gone``)."""
    return {"host": socket.gethostname()[:255], "pid": os.getpid()}
