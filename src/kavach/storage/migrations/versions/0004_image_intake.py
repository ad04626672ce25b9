"""exhibit_image and image_verification: forensic images and their integrity checks

Revision ID: 0004_image_intake
Revises: 0003_disk_origin
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_image_intake"
down_revision = "0003_disk_origin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exhibit_image",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "exhibit_id",
            sa.Integer(),
            sa.ForeignKey("exhibit.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("path", sa.Text(), nullable=False, unique=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("segments", sa.Text(), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("stored_md5", sa.String(32)),
        sa.Column("stored_sha1", sa.String(40)),
        sa.Column("md5", sa.String(32), nullable=False),
        sa.Column("sha1", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media_size", sa.BigInteger(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "image_verification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "image_id",
            sa.Integer(),
            sa.ForeignKey("exhibit_image.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("scan_id", sa.String(32), sa.ForeignKey("scan_run.id")),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("algorithm", sa.String(10), nullable=False),
        sa.Column("expected", sa.String(64), nullable=False),
        sa.Column("computed", sa.String(64), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("image_verification")
    op.drop_table("exhibit_image")
