"""file_record.pdq_source: whether a record's PDQ came from a reduced decode

Revision ID: 0002_pdq_source
Revises: 0001_initial
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_pdq_source"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("file_record") as batch:
        batch.add_column(sa.Column("pdq_source", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("file_record") as batch:
        batch.drop_column("pdq_source")
