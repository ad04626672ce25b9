"""Image format names in exhibit_image.kind; the warning stage 'container'

Until now an image was "ewf" or "raw" (String(10)); the container formats and the
compressed images need longer names ("android-sparse+gzip"). A disk image, volume
or file system that is not read is a warning of its own stage, 'container', so
the summary can count them.

Revision ID: 0018_image_kinds
Revises: 0017_background_jobs
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_image_kinds"
down_revision = "0017_background_jobs"
branch_labels = None
depends_on = None


_STAGE = "ck_scan_warning_stage"
_STAGES = "'walk', 'name', 'read', 'archive', 'decode', 'report', 'internal'"
# The lists as they stand after this migration (tests/storage/test_states.py).
CHECKS = {"scan_warning": [("stage", f"{_STAGES}, 'container'")]}


def _stages(values: str) -> None:
    with op.batch_alter_table("scan_warning") as batch:
        batch.drop_constraint(_STAGE, type_="check")
        batch.create_check_constraint(_STAGE, f"stage IS NULL OR stage IN ({values})")


def upgrade() -> None:
    with op.batch_alter_table("exhibit_image") as batch:
        batch.alter_column(
            "kind", type_=sa.String(32), existing_type=sa.String(10), nullable=False
        )
    _stages(CHECKS["scan_warning"][0][1])


def downgrade() -> None:
    op.execute("UPDATE scan_warning SET stage = 'walk' WHERE stage = 'container'")
    _stages(_STAGES)
    with op.batch_alter_table("exhibit_image") as batch:
        batch.alter_column(
            "kind", type_=sa.String(10), existing_type=sa.String(32), nullable=False
        )
