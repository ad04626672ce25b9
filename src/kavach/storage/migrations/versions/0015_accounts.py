"""Local accounts, browser sessions and API tokens

Revision ID: 0015_accounts
Revises: 0014_examination
Create Date: 2026-12-09

user_account holds who may log in to the web application and API, with an Argon2id
password hash, an optional TOTP secret and the failed-login count that locks it;
user_session and api_token keep only the SHA-256 of their tokens.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_accounts"
down_revision = "0014_examination"
branch_labels = None
depends_on = None

ROLES = "'administrator', 'supervisor', 'analyst', 'examiner', 'investigator', 'viewer'"
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("station_id", sa.Integer()),
        sa.Column("lab", sa.String(200)),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("totp_secret", sa.String(64)),
        sa.Column("totp_last_step", sa.Integer()),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_failure_at", _AT),
        sa.Column("locked_until", _AT),
        sa.Column("disabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("password_changed_at", _AT, nullable=False),
        sa.CheckConstraint(f"role IN ({ROLES})", name="ck_user_account_role"),
        sa.CheckConstraint(
            "role <> 'investigator' OR station_id IS NOT NULL",
            name="ck_user_account_station",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["police_station.id"],
            name=op.f("fk_user_account_station_id_police_station"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("name", name=op.f("uq_user_account_name")),
    )
    op.create_table(
        "user_session",
        sa.Column("id", _ID, nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("last_seen_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("closed_at", _AT),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_session_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_user_session_token_sha256")),
    )
    op.create_index(op.f("ix_user_session_user_id"), "user_session", ["user_id"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("expires_at", _AT),
        sa.Column("revoked_at", _AT),
        sa.Column("last_used_at", _AT),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_token_token_sha256")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_index(op.f("ix_user_session_user_id"), table_name="user_session")
    op.drop_table("user_session")
    op.drop_table("user_account")
