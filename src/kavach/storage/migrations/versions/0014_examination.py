"""Examination: where and when pictures were taken, reviews of files on no list

Revision ID: 0014_examination
Revises: 0013_hit_reviews
Create Date: 2026-12-02

file_record gains the capture metadata (camera, time, GPS, the place the GPS point
lies in) and the file system's modified / created times (for signs of wiping);
hit gains self_produced (the latest review's, as category and age_band);
file_review keeps every examiner decision on a file that no list holds (new
material), append-only like hit_review.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision = "0014_examination"
down_revision = "0013_hit_reviews"
branch_labels = None
depends_on = None

AGE_BANDS = "'0-5', '6-10', '11-15', '16-17', 'adult', 'unknown'"
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("file_record") as batch:
        batch.add_column(sa.Column("camera_make", sa.String(200)))
        batch.add_column(sa.Column("camera_model", sa.String(200)))
        batch.add_column(sa.Column("camera_serial", sa.String(200)))
        batch.add_column(sa.Column("taken_at", sa.String(40)))
        batch.add_column(sa.Column("gps_lat", sa.Float()))
        batch.add_column(sa.Column("gps_lon", sa.Float()))
        batch.add_column(sa.Column("place", sa.String(120)))
        batch.add_column(sa.Column("modified_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True)))
    op.create_index("ix_file_record_camera_serial", "file_record", ["camera_serial"])
    op.add_column("hit", sa.Column("self_produced", sa.Boolean()))
    op.execute(
        "UPDATE hit SET self_produced = (SELECT r.self_produced FROM hit_review r "
        "WHERE r.hit_id = hit.id ORDER BY r.id DESC LIMIT 1)"
    )
    op.create_table(
        "file_review",
        sa.Column("id", _ID, nullable=False),
        sa.Column("file_id", _ID, nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("category", sa.String(60)),
        sa.Column("age_band", sa.String(10)),
        sa.Column("self_produced", sa.Boolean()),
        sa.Column("note", sa.Text()),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('pending', 'confirmed', 'rejected')",
            name="ck_file_review_decision",
        ),
        sa.CheckConstraint(
            f"age_band IS NULL OR age_band IN ({AGE_BANDS})",
            name="ck_file_review_age_band",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["file_record.id"],
            name=op.f("fk_file_review_file_id_file_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_review")),
    )
    op.create_index(op.f("ix_file_review_file_id"), "file_review", ["file_id"])
    _previous().refuse_changes("file_review")


def _previous() -> ModuleType:
    # The append-only triggers are made as 0013 made hit_review's.
    return importlib.import_module(
        "kavach.storage.migrations.versions.0013_hit_reviews"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS file_review_no_update")
        op.execute("DROP TRIGGER IF EXISTS file_review_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS file_review_no_change ON file_review")
        op.execute("DROP TRIGGER IF EXISTS file_review_no_truncate ON file_review")
        op.execute("DROP FUNCTION IF EXISTS file_review_refuse()")
    op.drop_index(op.f("ix_file_review_file_id"), table_name="file_review")
    op.drop_table("file_review")
    with op.batch_alter_table("hit") as batch:
        batch.drop_column("self_produced")
    op.drop_index("ix_file_record_camera_serial", table_name="file_record")
    with op.batch_alter_table("file_record") as batch:
        for column in (
            "created_at", "modified_at", "place", "gps_lon", "gps_lat", "taken_at",
            "camera_serial", "camera_model", "camera_make",
        ):  # fmt: skip
            batch.drop_column(column)
