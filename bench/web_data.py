"""The load test's data: 100 k tips, 10 k cases, 1 M file records (with hits) and
one account per role, written straight into a new database in large batches."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from kavach.access.roles import UserRole
from kavach.bootstrap import Kavach
from kavach.storage.casework_tables import case_record, police_station, tip
from kavach.storage.tables import (
    exhibit,
    file_record,
    hash_entry,
    hashset,
    hashset_version,
    hit,
    scan_run,
)

PASSWORD = "load test password 2026"
START = datetime(2025, 1, 1, tzinfo=UTC)


def fill(
    kavach: Kavach, tips: int, cases: int, files: int, batch: int = 20_000
) -> None:
    kavach.services.units.ensure_loaded("bench")
    with kavach.engine.connect() as connection:
        stations = list(connection.execute(select(police_station.c.id)).scalars())
    rng = random.Random(7)
    _rows(kavach, tip, (_tip(i, rng.choice(stations)) for i in range(tips)), batch)
    _rows(kavach, case_record, (_case(i, stations) for i in range(cases)), batch)
    scan_id = _scan(kavach)
    _rows(kavach, file_record, (_file(scan_id, i) for i in range(files)), batch)
    _hits(kavach, scan_id, files // 100)
    for role in UserRole:
        kavach.services.accounts.add_user(
            f"{role.value}-1",
            role,
            PASSWORD,
            None if role is not UserRole.INVESTIGATOR else _station_name(kavach),
            None,
            "bench",
        )


def _rows(kavach: Kavach, table: Any, rows: Any, batch: int) -> None:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            with kavach.engine.begin() as connection:
                connection.execute(insert(table), chunk)
            chunk = []
    if chunk:
        with kavach.engine.begin() as connection:
            connection.execute(insert(table), chunk)


def _tip(i: int, station: int) -> dict[str, Any]:
    at = START + timedelta(minutes=5 * i)
    return {
        "source": "NCMEC",
        "report_id": f"LOAD-{i:07d}",
        "format": "ncmec-json",
        "content_sha256": hashlib.sha256(str(i).encode()).hexdigest(),
        "file_name": "load.json",
        "imported_at": at,
        "imported_by": "bench",
        "received_at": at,
        "esp": "LoadChat",
        "station_id": station,
    }


def _case(i: int, stations: list[int]) -> dict[str, Any]:
    station = stations[i % len(stations)]
    serial = i // len(stations) + 1
    return {
        "kind": "fir",
        "station_id": station,
        "year": 2025,
        "serial": serial,
        "number_text": f"FIR No. {serial} of 2025 ({station})",
        "registered_at": START + timedelta(hours=i),
        "status": "registered",
        "created_by": "bench",
    }


def _scan(kavach: Kavach) -> str:
    now = datetime.now(UTC)
    with kavach.engine.begin() as connection:
        exhibit_id = connection.execute(
            insert(exhibit).values(
                label="load-exhibit", path="/load", created_at=now, created_by="bench"
            )
        ).inserted_primary_key[0]
        connection.execute(
            insert(scan_run).values(
                id="load0000000000000000000000000000",
                exhibit_id=exhibit_id,
                root="/load",
                root_bytes=b"/load",
                status="complete",
                started_at=now,
                finished_at=now,
                started_by="bench",
                tool_version="bench",
                settings="{}",
                checkpoint=0,
            )
        )
    return "load0000000000000000000000000000"


def _file(scan_id: str, i: int) -> dict[str, Any]:
    digest = hashlib.sha256(i.to_bytes(8, "big")).hexdigest()
    path = f"DCIM/{i // 1000:04d}/IMG_{i:07d}.jpg"
    return {
        "scan_id": scan_id,
        "item_seq": i,
        "sub_seq": 0,
        "path": path,
        "path_bytes": path.encode(),
        "depth": 0,
        "size": 40_000 + i % 1000,
        "md5": digest[:32],
        "sha1": digest[:40],
        "sha256": digest,
        "mime": "image/jpeg",
        "known": False,
    }


def _hits(kavach: Kavach, scan_id: str, count: int) -> None:
    now = datetime.now(UTC)
    with kavach.engine.begin() as connection:
        set_id = connection.execute(
            insert(hashset).values(
                name="load-list", role="alert", scheme="none", created_at=now
            )
        ).inserted_primary_key[0]
        version = connection.execute(
            insert(hashset_version).values(
                hashset_id=set_id, uid="load", label="1", format="plain",
                scheme="none", file_name="l.txt", file_sha256="0" * 64,
                file_size=1, imported_at=now, imported_by="bench",
                entry_count=count, counts=json.dumps({}), warnings="[]",
            )
        ).inserted_primary_key[0]  # fmt: skip
        connection.execute(
            insert(hash_entry),
            [
                {"version_id": version, "seq": i, "status": "alert"}
                for i in range(count)
            ],
        )
        entries = list(
            connection.execute(
                select(hash_entry.c.id).where(hash_entry.c.version_id == version)
            ).scalars()
        )
        files = list(
            connection.execute(
                select(file_record.c.id).where(file_record.c.scan_id == scan_id)
                .order_by(file_record.c.id).limit(count)
            ).scalars()
        )  # fmt: skip
        connection.execute(
            insert(hit),
            [
                {"scan_id": scan_id, "file_id": f, "entry_id": e, "version_id": version,
                 "algorithm": "sha256", "match_type": "exact", "distance": 0}
                for f, e in zip(files, entries, strict=True)
            ],
        )  # fmt: skip


def _station_name(kavach: Kavach) -> str:
    with kavach.engine.connect() as connection:
        return str(
            connection.execute(
                select(police_station.c.name)
                .join(tip, tip.c.station_id == police_station.c.id)
                .limit(1)
            ).scalar_one()
        )
