"""Stored states are the enums' values: the database refuses any other."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from enum import StrEnum

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from kavach.bootstrap import Kavach
from kavach.storage.database import MIGRATIONS
from kavach.storage.tables import exhibit, scan_run
from kavach.vocabulary import MatchType, PdqSource, Review, ScanStatus, WarningStage


def _migration_checks() -> dict[str, list[tuple[str, str]]]:
    path = MIGRATIONS / "versions" / "0007_states_and_review.py"
    spec = importlib.util.spec_from_file_location("m0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.CHECKS)


@pytest.mark.parametrize(
    ("table", "column", "enum"),
    [
        ("scan_run", "status", ScanStatus),
        ("scan_warning", "stage", WarningStage),
        ("hit", "match_type", MatchType),
        ("hit", "review", Review),
        ("file_record", "pdq_source", PdqSource),
    ],
)
def test_migration_lists_every_value_of_the_enum(
    table: str, column: str, enum: type[StrEnum]
) -> None:
    values = dict(_migration_checks()[table])[column]
    assert values == ", ".join(f"'{member.value}'" for member in enum)


def test_database_refuses_an_unknown_state(app: Kavach) -> None:
    now = datetime.now(UTC)
    with app.engine.begin() as connection:
        exhibit_id = connection.execute(
            insert(exhibit)
            .values(label="x", path="/x", created_at=now, created_by="t")
            .returning(exhibit.c.id)
        ).scalar_one()
        row = {
            "id": "a" * 32,
            "exhibit_id": exhibit_id,
            "root": "/x",
            "root_bytes": b"/x",
            "started_at": now,
            "started_by": "t",
            "tool_version": "0",
            "settings": "{}",
            "checkpoint": 0,
        }
        connection.execute(insert(scan_run).values(status="complete", **row))
    with pytest.raises(IntegrityError), app.engine.begin() as connection:
        connection.execute(update(scan_run).values(status="finished"))
