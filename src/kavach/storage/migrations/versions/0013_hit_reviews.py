"""hit_review: every decision on a hit, kept (append-only); hit.category, hit.age_band

Revision ID: 0013_hit_reviews
Revises: 0012_casework
Create Date: 2026-12-02

A review written before this migration is carried over as the first entry of its
hit's history, so no decision is lost.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_hit_reviews"
down_revision = "0012_casework"
branch_labels = None
depends_on = None

AGE_BANDS = "'0-5', '6-10', '11-15', '16-17', 'adult', 'unknown'"


def upgrade() -> None:
    op.add_column("hit", sa.Column("category", sa.String(60)))
    op.add_column("hit", sa.Column("age_band", sa.String(10)))
    op.create_table(
        "hit_review",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "hit_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("category", sa.String(60)),
        sa.Column("age_band", sa.String(10)),
        sa.Column("self_produced", sa.Boolean()),
        sa.Column("note", sa.Text()),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('pending', 'confirmed', 'rejected')",
            name="ck_hit_review_decision",
        ),
        sa.CheckConstraint(
            f"age_band IS NULL OR age_band IN ({AGE_BANDS})",
            name="ck_hit_review_age_band",
        ),
        sa.ForeignKeyConstraint(
            ["hit_id"], ["hit.id"], name=op.f("fk_hit_review_hit_id_hit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hit_review")),
    )
    op.create_index(op.f("ix_hit_review_hit_id"), "hit_review", ["hit_id"])
    op.execute(
        "INSERT INTO hit_review (hit_id, decision, note, by, at) "
        "SELECT id, review, review_note, reviewed_by, reviewed_at FROM hit "
        "WHERE reviewed_at IS NOT NULL AND reviewed_by IS NOT NULL"
    )
    refuse_changes("hit_review")


def refuse_changes(table: str) -> None:
    message = f"{table} is append-only"
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        return
    op.execute(
        f"CREATE FUNCTION {table}_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse()"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS hit_review_no_update")
        op.execute("DROP TRIGGER IF EXISTS hit_review_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS hit_review_no_change ON hit_review")
        op.execute("DROP TRIGGER IF EXISTS hit_review_no_truncate ON hit_review")
        op.execute("DROP FUNCTION IF EXISTS hit_review_refuse()")
    op.drop_index(op.f("ix_hit_review_hit_id"), table_name="hit_review")
    op.drop_table("hit_review")
    with op.batch_alter_table("hit") as batch:
        batch.drop_column("age_band")
        batch.drop_column("category")
