"""file_record.times and extracted_as: what a phone extraction says of a file

Revision ID: 0006_extraction_origin
Revises: 0005_hit_detail
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_extraction_origin"
down_revision = "0005_hit_detail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("file_record") as batch:
        batch.add_column(sa.Column("times", sa.Text(), nullable=True))
        batch.add_column(sa.Column("extracted_as", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("file_record") as batch:
        batch.drop_column("extracted_as")
        batch.drop_column("times")
