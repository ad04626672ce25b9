"""Background jobs started from the web: list imports and scans, with progress

Revision ID: 0017_background_jobs
Revises: 0016_manual_routing
Create Date: 2026-12-02

A job's row is its state: the page that started it can be reloaded, and another
server process (``kavach serve --workers 2``) shows the same progress.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_background_jobs"
down_revision = "0016_manual_routing"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)
KINDS = "'list_import', 'scan'"
STATES = "'queued', 'running', 'done', 'failed', 'interrupted'"


def upgrade() -> None:
    op.create_table(
        "background_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("started_by", sa.String(200), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("started_at", _AT),
        sa.Column("finished_at", _AT),
        sa.Column("done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("total", sa.Integer()),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("message", sa.Text()),
        sa.Column("result", sa.Text(), server_default="{}", nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.CheckConstraint(
            f"kind IS NULL OR kind IN ({KINDS})", name="ck_background_job_kind"
        ),
        sa.CheckConstraint(
            f"status IS NULL OR status IN ({STATES})", name="ck_background_job_status"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_job")),
    )
    op.create_index(
        "ix_background_job_started_by", "background_job", ["started_by", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_background_job_started_by", table_name="background_job")
    op.drop_table("background_job")
