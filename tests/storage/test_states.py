"""Stored states are the enums' values: the database refuses any other."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from enum import StrEnum

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError

from kavach.bootstrap import Kavach
from kavach.storage.database import (
    HEAD,
    MIGRATIONS,
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from kavach.storage.tables import exhibit, scan_run
from kavach.vocabulary import MatchType, PdqSource, Review, ScanStatus, WarningStage


def _migration_checks() -> dict[str, list[tuple[str, str]]]:
    """The lists as the newest migration that sets each one leaves them."""
    checks: dict[str, list[tuple[str, str]]] = {}
    for name in ("0007_states_and_review", "0018_image_kinds"):
        path = MIGRATIONS / "versions" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(f"m{name[:4]}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        checks.update(module.CHECKS)
    return checks


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


def test_head_constant_is_alembics_head() -> None:
    assert HEAD == head_revision()


def test_upgrade_keeps_existing_rows(database_url: str) -> None:
    from alembic import command

    engine = make_engine(database_url)
    try:
        command.upgrade(_alembic_config(engine), "0006_extraction_origin")
        now = datetime.now(UTC)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO exhibit (id, label, path, created_at, created_by) "
                    "VALUES (1, 'old', '/old', :now, 't')"
                ),
                {"now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO scan_run (id, exhibit_id, root, root_bytes, status, "
                    "started_at, started_by, tool_version, settings, checkpoint) "
                    "VALUES ('r1', 1, '/old', :root, 'interrupted', :now, 't', "
                    "'0.1.0', '{}', 7)"
                ),
                {"now": now, "root": b"/old"},
            )
        upgrade(engine)
        assert current_revision(engine) == HEAD
        with engine.connect() as connection:
            row = connection.execute(select(scan_run.c.status, scan_run.c.checkpoint))
            assert row.one() == ("interrupted", 7)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(update(scan_run).values(status="paused"))
    finally:
        engine.dispose()
