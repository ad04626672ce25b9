"""scan_run.host and scan_run.pid: which process runs a scan, to tell a dead one

Revision ID: 0011_run_process
Revises: 0010_sha512
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_run_process"
down_revision = "0010_sha512"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("scan_run", sa.Column("host", sa.String(255)))
    op.add_column("scan_run", sa.Column("pid", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("scan_run") as batch:
        batch.drop_column("pid")
        batch.drop_column("host")
