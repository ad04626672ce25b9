"""SHA-512: list entries that carry one, and the files of scans that computed it

Revision ID: 0010_sha512
Revises: 0009_retired_lists
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_sha512"
down_revision = "0009_retired_lists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hash_entry", sa.Column("sha512", sa.String(128)))
    op.add_column("file_record", sa.Column("sha512", sa.String(128)))


def downgrade() -> None:
    with op.batch_alter_table("file_record") as batch:
        batch.drop_column("sha512")
    with op.batch_alter_table("hash_entry") as batch:
        batch.drop_column("sha512")
