"""hit.detail: what a perceptual video match rests on (shares, timestamps)

Revision ID: 0005_hit_detail
Revises: 0004_image_intake
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_hit_detail"
down_revision = "0004_image_intake"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hit") as batch:
        batch.add_column(sa.Column("detail", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hit") as batch:
        batch.drop_column("detail")
