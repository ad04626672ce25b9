"""hashset.retired_at and retired_by: a list kept for provenance, no longer matched

Revision ID: 0009_retired_lists
Revises: 0008_path_specs
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_retired_lists"
down_revision = "0008_path_specs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hashset", sa.Column("retired_at", sa.DateTime(timezone=True)))
    op.add_column("hashset", sa.Column("retired_by", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("hashset") as batch:
        batch.drop_column("retired_by")
        batch.drop_column("retired_at")
