"""Local accounts, their browser sessions and API tokens. Migration 0015 creates them.

Session and API tokens are kept only as their SHA-256: a copy of the database (a
backup, a stolen laptop) gives no one a way in. Passwords are Argon2id hashes.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    false,
)

from kavach.access.roles import UserRole
from kavach.storage.tables import BigId, metadata
from kavach.storage.timestamps import UtcDateTime
from kavach.vocabulary import check_values

user_account = Table(
    "user_account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),  # lower case
    Column("role", String(20), nullable=False),
    Column("station_id", ForeignKey("police_station.id")),
    Column("lab", String(200)),
    Column("password_hash", Text, nullable=False),
    Column("totp_secret", String(64)),
    Column("totp_last_step", Integer),  # a code is accepted once
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("first_failure_at", UtcDateTime()),
    Column("locked_until", UtcDateTime()),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("password_changed_at", UtcDateTime(), nullable=False),
    CheckConstraint(f"role IN ({check_values(UserRole)})", name="ck_user_account_role"),
    CheckConstraint(
        "role <> 'investigator' OR station_id IS NOT NULL",
        name="ck_user_account_station",
    ),
)

user_session = Table(
    "user_session",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("user_account.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),  # the absolute limit
    Column("source", String(100), nullable=False),  # the client's address
    Column("closed_at", UtcDateTime()),
)

api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("scopes", Text, nullable=False),  # JSON list: "read", "write"
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("expires_at", UtcDateTime()),
    Column("revoked_at", UtcDateTime()),
    Column("last_used_at", UtcDateTime()),
)
