"""tip.located_by may be 'manual' (routed by hand); indexes for the inbox and cases

The web pages list tips and cases newest first, for the unit or one station: at
100 k tips a page took 1.5 s without these (sorting every tip), measured by
bench/web_load.py.

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


_INDEXES = {
    "ix_tip_received": ("tip", ["received_at", "id"]),
    "ix_tip_station_received": ("tip", ["station_id", "received_at", "id"]),
    "ix_case_record_registered": ("case_record", ["registered_at"]),
    "ix_case_record_station_registered": (
        "case_record",
        ["station_id", "registered_at"],
    ),
}


def upgrade() -> None:
    _check("'isp', 'geoip', 'report', 'manual'")
    for name, (table, columns) in _INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in _INDEXES.items():
        op.drop_index(name, table_name=table)
    op.execute("UPDATE tip SET located_by = NULL WHERE located_by = 'manual'")
    _check("'isp', 'geoip', 'report'")
