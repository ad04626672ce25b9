"""file_record: where inside a disk image (deleted, carved, offset, inode)

Revision ID: 0003_disk_origin
Revises: 0002_pdq_source
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_disk_origin"
down_revision = "0002_pdq_source"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("file_record") as batch:
        batch.add_column(
            sa.Column(
                "deleted", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(
            sa.Column("carved", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("offset", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("inode", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("file_record") as batch:
        for column in ("inode", "offset", "carved", "deleted"):
            batch.drop_column(column)
