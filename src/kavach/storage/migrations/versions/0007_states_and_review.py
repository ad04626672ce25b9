"""CHECK constraints on stored states; who reviewed a hit, when, and why

Revision ID: 0007_states_and_review
Revises: 0006_extraction_origin
Create Date: 2026-12-01

Existing rows keep their values: every value Kavach ever wrote is in the lists
(``kavach.vocabulary``), which are copied here so later changes to the enums need
their own migration. SQLite's batch mode does not reflect CHECK constraints: a later
migration that rebuilds one of these tables must create its constraints again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_states_and_review"
down_revision = "0006_extraction_origin"
branch_labels = None
depends_on = None

CHECKS = {
    "scan_run": [("status", "'running', 'interrupted', 'complete'")],
    "scan_warning": [
        (
            "stage",
            "'walk', 'name', 'read', 'archive', 'decode', 'report', 'internal'",
        )
    ],
    "hit": [
        ("match_type", "'exact', 'perceptual'"),
        ("review", "'pending', 'confirmed', 'rejected'"),
    ],
    "file_record": [("pdq_source", "'reference', 'fast'")],
}


def upgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            if table == "hit":
                batch.add_column(sa.Column("reviewed_by", sa.String(200)))
                batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True)))
                batch.add_column(sa.Column("review_note", sa.Text()))
            for column, values in checks:
                batch.create_check_constraint(
                    f"ck_{table}_{column}",
                    f"{column} IS NULL OR {column} IN ({values})",
                )


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column, _ in checks:
                batch.drop_constraint(f"ck_{table}_{column}", type_="check")
            if table == "hit":
                batch.drop_column("review_note")
                batch.drop_column("reviewed_at")
                batch.drop_column("reviewed_by")
