"""What a phone extraction's messaging apps said, filed on the seized device.

Migration 0019 creates these tables (``kavach phone apps FOLDER --device LABEL``),
0020 the reviews of known media.
Identifiers, group memberships, reset signs and media hashes: never message text.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from kavach.storage.tables import BigId, decision_columns, metadata
from kavach.storage.timestamps import UtcDateTime

phone_extraction = Table(
    "phone_extraction",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("device_id", ForeignKey("seized_device.id"), nullable=False, index=True),
    Column("folder", Text, nullable=False),
    Column("read_at", UtcDateTime(), nullable=False),
    Column("read_by", String(200), nullable=False),
    Column("databases", Text, nullable=False),  # JSON list of paths read
    Column("warnings", Text, nullable=False),  # JSON list
)

# The device owner's accounts and the contacts: person-shaped records
# (``owner:<id>``, ``contact:<id>`` in the directory).
phone_account = Table(
    "phone_account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "extraction_id", ForeignKey("phone_extraction.id"), nullable=False, index=True
    ),
    Column("app", String(40), nullable=False),
    Column("role", String(10), nullable=False),  # owner | contact
    Column("identifier", String(200), nullable=False),
    Column("phone", String(40)),
    Column("name", String(300)),
    Column("username", String(200)),
    Index("ix_phone_account_phone", "phone"),
)

phone_group = Table(
    "phone_group",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "extraction_id", ForeignKey("phone_extraction.id"), nullable=False, index=True
    ),
    Column("app", String(40), nullable=False),
    Column("identifier", String(200), nullable=False),  # the same on every phone
    Column("name", String(300)),
    Column("created_at", UtcDateTime()),
    Column("creator", String(200)),
    Index("ix_phone_group_identifier", "app", "identifier"),
)

phone_group_member = Table(
    "phone_group_member",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", ForeignKey("phone_group.id"), nullable=False, index=True),
    Column("identifier", String(200), nullable=False),
    Column("phone", String(40)),
    Column("name", String(300)),
    Column("admin", Boolean, nullable=False),
    Column("creator", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
)

phone_reset = Table(
    "phone_reset",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "extraction_id", ForeignKey("phone_extraction.id"), nullable=False, index=True
    ),
    Column("kind", String(60), nullable=False),
    Column("at", UtcDateTime()),
    Column("time_basis", String(80), nullable=False),
    Column("source", Text, nullable=False),
    Column("detail", Text),
)

# A media record whose SHA-256 a list held when read: "known file, once present".
phone_known_media = Table(
    "phone_known_media",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "extraction_id", ForeignKey("phone_extraction.id"), nullable=False, index=True
    ),
    Column("app", String(40), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", BigInteger),
    Column("path", Text),
    Column("at", UtcDateTime()),
    Column("chat", String(200)),
    Column("chat_name", String(300)),
    Column("sender", String(200)),
    Column("from_owner", Boolean, nullable=False),
    Column("lists", Text, nullable=False),  # JSON: [{"list", "version", "category"}]
)

# Every examiner decision on a known media record, kept: a record confirmed by one
# examiner and rejected by another shows both. Append-only by trigger (0020), as
# hit_review and file_review are.
phone_media_review = Table(
    "phone_media_review",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("media_id", ForeignKey("phone_known_media.id"), nullable=False, index=True),
    *decision_columns("phone_media_review"),
)
