"""Examiners' decisions on known media records (a chat's file a list holds)

Revision ID: 0020_media_reviews
Revises: 0019_directory
Create Date: 2026-12-04

phone_media_review keeps every decision on a phone_known_media row ("known file,
once present"): the file is gone from the phone, so there is no hit to review,
but what the unit says of the material it seized comes only from reviewed
decisions. Append-only like hit_review and file_review.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision = "0020_media_reviews"
down_revision = "0019_directory"
branch_labels = None
depends_on = None

AGE_BANDS = "'0-5', '6-10', '11-15', '16-17', 'adult', 'unknown'"
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "phone_media_review",
        sa.Column("id", _ID, nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("category", sa.String(60)),
        sa.Column("age_band", sa.String(10)),
        sa.Column("self_produced", sa.Boolean()),
        sa.Column("note", sa.Text()),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('pending', 'confirmed', 'rejected')",
            name="ck_phone_media_review_decision",
        ),
        sa.CheckConstraint(
            f"age_band IS NULL OR age_band IN ({AGE_BANDS})",
            name="ck_phone_media_review_age_band",
        ),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["phone_known_media.id"],
            name=op.f("fk_phone_media_review_media_id_phone_known_media"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_media_review")),
    )
    op.create_index(
        op.f("ix_phone_media_review_media_id"), "phone_media_review", ["media_id"]
    )
    _hit_reviews().refuse_changes("phone_media_review")


def _hit_reviews() -> ModuleType:
    # The append-only triggers are made as 0013 made hit_review's.
    return importlib.import_module(
        "kavach.storage.migrations.versions.0013_hit_reviews"
    )


def downgrade() -> None:
    table = "phone_media_review"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_refuse()")
    op.drop_index(op.f("ix_phone_media_review_media_id"), table_name=table)
    op.drop_table(table)
