"""tip.located_by may be 'manual': an analyst routed the tip by hand

Revision ID: 0016_manual_routing
Revises: 0015_accounts
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0016_manual_routing"
down_revision = "0015_accounts"
branch_labels = None
depends_on = None

_NAME = "ck_tip_located_by"


def _check(values: str) -> None:
    with op.batch_alter_table("tip") as batch:
        batch.drop_constraint(_NAME, type_="check")
        batch.create_check_constraint(
            _NAME, f"located_by IS NULL OR located_by IN ({values})"
        )


def upgrade() -> None:
    _check("'isp', 'geoip', 'report', 'manual'")


def downgrade() -> None:
    op.execute("UPDATE tip SET located_by = NULL WHERE located_by = 'manual'")
    _check("'isp', 'geoip', 'report'")
