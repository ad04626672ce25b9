"""The directory of persons (stable ids, links, decisions) and phone extractions

Revision ID: 0019_directory
Revises: 0018_image_kinds
Create Date: 2026-12-03

Records stay where they are (casework persons, tip subjects, ISP subscribers);
these tables say which records are one person, why (the links with their
weights), and what an analyst decided about pairs of them. The phone tables hold
what a phone extraction's messaging apps said (accounts, groups, reset signs,
media hashes a list held), filed on the seized device.
"""

from __future__ import annotations

import importlib
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0019_directory"
down_revision = "0018_image_kinds"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)
MODES = "'full', 'incremental', 'decision'"
STATES = "'linked', 'refused', 'suggested'"
KINDS = "'together', 'apart'"


def upgrade() -> None:
    op.create_table(
        "directory_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("new_records", sa.Integer(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("new_persons", sa.Integer(), nullable=False),
        sa.Column("links", sa.Integer(), nullable=False),
        sa.Column("pairs_scored", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("model", sa.Text(), server_default="{}", nullable=False),
        sa.CheckConstraint(
            f"mode IS NULL OR mode IN ({MODES})", name="ck_directory_run_mode"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_run")),
    )
    op.create_table(
        "directory_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("created_run_id", sa.Integer(), nullable=False),
        sa.Column("retired_at", _AT),
        sa.Column("merged_into", sa.Integer()),
        sa.ForeignKeyConstraint(
            ["created_run_id"],
            ["directory_run.id"],
            name=op.f("fk_directory_person_created_run_id_directory_run"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_into"],
            ["directory_person.id"],
            name=op.f("fk_directory_person_merged_into_directory_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_person")),
    )
    op.create_table(
        "directory_member",
        sa.Column("record_key", sa.String(80), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["directory_person.id"],
            name=op.f("fk_directory_member_person_id_directory_person"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["directory_run.id"],
            name=op.f("fk_directory_member_run_id_directory_run"),
        ),
        sa.PrimaryKeyConstraint("record_key", name=op.f("pk_directory_member")),
    )
    op.create_index("ix_directory_member_person", "directory_member", ["person_id"])
    op.create_table(
        "directory_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("left_key", sa.String(80), nullable=False),
        sa.Column("right_key", sa.String(80), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("identifier", sa.String(20)),
        sa.Column("levels", sa.Text(), nullable=False),
        sa.Column("weights", sa.Text(), nullable=False),
        sa.CheckConstraint(
            f"state IS NULL OR state IN ({STATES})", name="ck_directory_link_state"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["directory_run.id"],
            name=op.f("fk_directory_link_run_id_directory_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_link")),
    )
    op.create_index("ix_directory_link_left", "directory_link", ["left_key"])
    op.create_index("ix_directory_link_right", "directory_link", ["right_key"])
    op.create_table(
        "directory_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("left_key", sa.String(80), nullable=False),
        sa.Column("right_key", sa.String(80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.CheckConstraint(
            f"kind IS NULL OR kind IN ({KINDS})", name="ck_directory_decision_kind"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_decision")),
    )
    op.create_index(
        "ix_directory_decision_pair",
        "directory_decision",
        ["left_key", "right_key"],
    )
    # An analyst's decision is never edited or removed: a later one supersedes it.
    _casework_migration().refuse_changes("directory_decision")
    _phone_tables()


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}")
    )


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def _phone_tables() -> None:
    """What a phone extraction's messaging apps said, filed on its device."""
    op.create_table(
        "phone_extraction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("read_at", _AT, nullable=False),
        sa.Column("read_by", sa.String(200), nullable=False),
        sa.Column("databases", sa.Text(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        _fk("phone_extraction", "device_id", "seized_device"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_extraction")),
    )
    _index("phone_extraction", "device_id")
    op.create_table(
        "phone_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extraction_id", sa.Integer(), nullable=False),
        sa.Column("app", sa.String(40), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("identifier", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("name", sa.String(300)),
        sa.Column("username", sa.String(200)),
        _fk("phone_account", "extraction_id", "phone_extraction"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_account")),
    )
    _index("phone_account", "extraction_id")
    op.create_index("ix_phone_account_phone", "phone_account", ["phone"])
    op.create_table(
        "phone_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extraction_id", sa.Integer(), nullable=False),
        sa.Column("app", sa.String(40), nullable=False),
        sa.Column("identifier", sa.String(200), nullable=False),
        sa.Column("name", sa.String(300)),
        sa.Column("created_at", _AT),
        sa.Column("creator", sa.String(200)),
        _fk("phone_group", "extraction_id", "phone_extraction"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_group")),
    )
    _index("phone_group", "extraction_id")
    op.create_index("ix_phone_group_identifier", "phone_group", ["app", "identifier"])
    op.create_table(
        "phone_group_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("name", sa.String(300)),
        sa.Column("admin", sa.Boolean(), nullable=False),
        sa.Column("creator", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _fk("phone_group_member", "group_id", "phone_group"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_group_member")),
    )
    _index("phone_group_member", "group_id")
    op.create_table(
        "phone_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extraction_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("at", _AT),
        sa.Column("time_basis", sa.String(80), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text()),
        _fk("phone_reset", "extraction_id", "phone_extraction"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_reset")),
    )
    _index("phone_reset", "extraction_id")
    op.create_table(
        "phone_known_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extraction_id", sa.Integer(), nullable=False),
        sa.Column("app", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger()),
        sa.Column("path", sa.Text()),
        sa.Column("at", _AT),
        sa.Column("chat", sa.String(200)),
        sa.Column("chat_name", sa.String(300)),
        sa.Column("sender", sa.String(200)),
        sa.Column("from_owner", sa.Boolean(), nullable=False),
        sa.Column("lists", sa.Text(), nullable=False),
        _fk("phone_known_media", "extraction_id", "phone_extraction"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_known_media")),
    )
    _index("phone_known_media", "extraction_id")
    _index("phone_known_media", "sha256")
    _watch_tables()


def _watch_tables() -> None:
    """The watchlist and the alerts new records raise."""
    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer()),
        sa.Column("key", sa.String(500)),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("analyst", sa.String(200), nullable=False),
        sa.Column("station", sa.String(200)),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("ended_at", _AT),
        sa.Column("ended_by", sa.String(200)),
        _fk("watch", "person_id", "directory_person"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch")),
    )
    op.create_table(
        "watch_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("matched", sa.Text(), nullable=False),
        sa.Column("analyst", sa.String(200), nullable=False),
        sa.Column("station", sa.String(200)),
        sa.Column("seen_at", _AT),
        sa.Column("seen_by", sa.String(200)),
        _fk("watch_alert", "watch_id", "watch"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_alert")),
    )
    _index("watch_alert", "watch_id")
    op.create_index("ix_watch_alert_station", "watch_alert", ["station"])
    op.create_table(
        "watch_sweep",
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("swept_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_watch_sweep")),
    )


def _casework_migration() -> Any:
    return importlib.import_module("kavach.storage.migrations.versions.0012_casework")


PHONE_TABLES = (
    "watch_sweep",
    "watch_alert",
    "watch",
    "phone_known_media",
    "phone_reset",
    "phone_group_member",
    "phone_group",
    "phone_account",
    "phone_extraction",
)


def downgrade() -> None:
    for table in PHONE_TABLES:
        op.drop_table(table)  # its indexes go with it
    table = "directory_decision"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_refuse()")
    op.drop_index("ix_directory_decision_pair", table_name="directory_decision")
    op.drop_table("directory_decision")
    op.drop_index("ix_directory_link_right", table_name="directory_link")
    op.drop_index("ix_directory_link_left", table_name="directory_link")
    op.drop_table("directory_link")
    op.drop_index("ix_directory_member_person", table_name="directory_member")
    op.drop_table("directory_member")
    op.drop_table("directory_person")
    op.drop_table("directory_run")
