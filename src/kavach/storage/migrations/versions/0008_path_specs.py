"""file_record.spec and scan_warning.spec: the path spec chain, encoded

Revision ID: 0008_path_specs
Revises: 0007_states_and_review
Create Date: 2026-12-01

``path`` and ``path_bytes`` keep the display form; ``spec`` holds
``PathSpec.encode()``, which reads back unambiguously whatever the names hold.
Rows written before this revision have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_path_specs"
down_revision = "0007_states_and_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding a nullable column needs no table rebuild, so the CHECK constraints of
    # 0007 stay as they are (SQLite's batch mode does not reflect them).
    op.add_column("file_record", sa.Column("spec", sa.LargeBinary(), nullable=True))
    op.add_column("scan_warning", sa.Column("spec", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scan_warning") as batch:
        batch.drop_column("spec")
    with op.batch_alter_table("file_record") as batch:
        batch.drop_column("spec")
