"""The database tables (SQLAlchemy Core). Migrations in ``migrations/`` create them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from kavach.storage.timestamps import UtcDateTime
from kavach.vocabulary import (
    AgeBand,
    MatchType,
    PdqSource,
    Review,
    ScanStatus,
    WarningStage,
    check_values,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def one_of(table: str, column: str, enum: type[StrEnum]) -> CheckConstraint:
    """The column holds one of ``enum``'s values (or NULL); see migration 0007."""
    return CheckConstraint(
        f"{column} IS NULL OR {column} IN ({check_values(enum)})",
        name=f"ck_{table}_{column}",
    )


# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL gets 64-bit keys.
BigId = BigInteger().with_variant(Integer, "sqlite")

hashset = Table(
    "hashset",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(10), nullable=False),
    Column("source", String(200)),
    Column("scheme", String(40), nullable=False),
    Column("pdq_threshold", Integer),
    Column("current_version_id", Integer),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("retired_at", UtcDateTime()),  # kept, no longer matched
    Column("retired_by", String(200)),
)

hashset_version = Table(
    "hashset_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hashset_id", ForeignKey("hashset.id"), nullable=False, index=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("label", String(200), nullable=False),
    Column("format", String(40), nullable=False),
    Column("scheme", String(40), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("file_size", BigInteger, nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("entry_count", BigInteger, nullable=False),
    Column("counts", Text, nullable=False),
    Column("warnings", Text, nullable=False),
    Column("based_on_version_id", Integer),
    Column("superseded_at", UtcDateTime()),
)

hash_entry = Table(
    "hash_entry",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("version_id", ForeignKey("hashset_version.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("md5", String(32)),
    Column("sha1", String(40)),
    Column("sha256", String(64)),
    Column("sha512", String(128)),
    Column("pdq", String(64)),
    Column("pdq_quality", Integer),
    Column("size", BigInteger),
    Column("name", Text),
    Column("raw_category", String(60)),
    Column("status", String(12), nullable=False),
    Column("partner_id", String(120)),
    Column("series", Text),
    Column("media_type", String(60)),
    Column("attributes", Text),
    UniqueConstraint("version_id", "seq"),
)

exhibit = Table(
    "exhibit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_ref", String(200)),
    Column("label", String(200), nullable=False),
    Column("path", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    UniqueConstraint("case_ref", "label"),
)

scan_run = Table(
    "scan_run",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("exhibit_id", ForeignKey("exhibit.id"), nullable=False, index=True),
    Column("root", Text, nullable=False),
    Column("root_bytes", LargeBinary, nullable=False),
    Column("status", String(20), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("started_by", String(200), nullable=False),
    Column("tool_version", String(40), nullable=False),
    Column("settings", Text, nullable=False),
    Column("checkpoint", Integer, nullable=False),
    Column("integrity_sha256", String(64)),
    # The process that last marked the run running, so a killed one can be told.
    Column("host", String(255)),
    Column("pid", Integer),
    one_of("scan_run", "status", ScanStatus),
)

scan_run_version = Table(
    "scan_run_version",
    metadata,
    Column("scan_id", ForeignKey("scan_run.id"), primary_key=True),
    Column("version_id", ForeignKey("hashset_version.id"), primary_key=True),
)

file_record = Table(
    "file_record",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("scan_id", ForeignKey("scan_run.id"), nullable=False),
    Column("item_seq", Integer, nullable=False),
    Column("sub_seq", Integer, nullable=False),
    Column("path", Text, nullable=False),
    Column("path_bytes", LargeBinary, nullable=False),
    Column("spec", LargeBinary),  # PathSpec.encode(): the chain, unambiguous
    Column("depth", Integer, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("md5", String(32), nullable=False),
    Column("sha1", String(40), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("sha512", String(128)),  # only when a list of the scan carries SHA-512
    Column("pdq", String(64)),
    Column("pdq_quality", Integer),
    Column("pdq_source", String(10)),
    Column("mime", String(100), nullable=False),
    Column("known", Boolean, nullable=False),
    Column("deleted", Boolean, nullable=False, server_default=false()),
    Column("carved", Boolean, nullable=False, server_default=false()),
    Column("offset", BigInteger),
    Column("inode", BigInteger),
    Column("times", Text),
    Column("extracted_as", Text),
    # Where and when a picture or video was taken, from its own metadata (0014).
    Column("camera_make", String(200)),
    Column("camera_model", String(200)),
    Column("camera_serial", String(200), index=True),
    Column("taken_at", String(40)),  # ISO 8601, with the offset the file gives
    Column("gps_lat", Float),
    Column("gps_lon", Float),
    Column("place", String(120)),  # district in Kerala, else state, else country
    # The file system's times, where the source has them (folders, disk images).
    Column("modified_at", UtcDateTime()),
    Column("created_at", UtcDateTime()),
    UniqueConstraint("scan_id", "item_seq", "sub_seq"),
    Index("ix_file_record_md5", "md5"),
    one_of("file_record", "pdq_source", PdqSource),
)

hit = Table(
    "hit",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("scan_id", ForeignKey("scan_run.id"), nullable=False, index=True),
    Column("file_id", ForeignKey("file_record.id"), nullable=False, index=True),
    Column("entry_id", ForeignKey("hash_entry.id"), nullable=False),
    Column("version_id", ForeignKey("hashset_version.id"), nullable=False),
    Column("algorithm", String(10), nullable=False),
    Column("match_type", String(12), nullable=False),
    Column("distance", Integer, nullable=False),
    Column("variant", String(20)),
    Column("review", String(12), nullable=False, server_default=Review.PENDING.value),
    Column("detail", Text),
    Column("reviewed_by", String(200)),
    Column("reviewed_at", UtcDateTime()),
    Column("review_note", Text),
    # The examiner's category (per the list's scheme) and age band, when set.
    Column("category", String(60)),
    Column("age_band", String(10)),
    Column("self_produced", Boolean),
    one_of("hit", "match_type", MatchType),
    one_of("hit", "review", Review),
)

scan_warning = Table(
    "scan_warning",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("scan_id", ForeignKey("scan_run.id"), nullable=False, index=True),
    Column("item_seq", Integer, nullable=False),
    Column("sub_seq", Integer, nullable=False),
    Column("path", Text, nullable=False),
    Column("path_bytes", LargeBinary, nullable=False),
    Column("spec", LargeBinary),
    Column("stage", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    one_of("scan_warning", "stage", WarningStage),
)

exhibit_image = Table(
    "exhibit_image",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("exhibit_id", ForeignKey("exhibit.id"), nullable=False, index=True),
    Column("path", Text, nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("segments", Text, nullable=False),
    Column("header", Text, nullable=False),
    Column("stored_md5", String(32)),
    Column("stored_sha1", String(40)),
    Column("md5", String(32), nullable=False),
    Column("sha1", String(40), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("media_size", BigInteger, nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("registered_by", String(200), nullable=False),
)

image_verification = Table(
    "image_verification",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("image_id", ForeignKey("exhibit_image.id"), nullable=False, index=True),
    Column("scan_id", ForeignKey("scan_run.id")),
    Column("at", UtcDateTime(), nullable=False),
    Column("stage", String(20), nullable=False),
    Column("algorithm", String(10), nullable=False),
    Column("expected", String(64), nullable=False),
    Column("computed", String(64), nullable=False),
    Column("ok", Boolean, nullable=False),
)


def decision_columns(table: str) -> list[Column[Any] | CheckConstraint]:
    """The columns (and checks) of an examiner's decision, as each append-only
    review table (hit_review, file_review, phone_media_review) holds it."""
    return [
        Column("decision", String(12), nullable=False),
        Column("category", String(60)),
        Column("age_band", String(10)),
        Column("self_produced", Boolean),
        Column("note", Text),
        Column("by", String(200), nullable=False),
        Column("at", UtcDateTime(), nullable=False),
        one_of(table, "decision", Review),
        one_of(table, "age_band", AgeBand),
    ]


# Every decision on a hit, kept: a hit rejected by one examiner and confirmed by
# another shows both. Append-only by trigger (migration 0013).
hit_review = Table(
    "hit_review",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("hit_id", ForeignKey("hit.id"), nullable=False, index=True),
    *decision_columns("hit_review"),
)

# Decisions on files that no list holds (new material); append-only (0014).
file_review = Table(
    "file_review",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("file_id", ForeignKey("file_record.id"), nullable=False, index=True),
    *decision_columns("file_review"),
)

audit_event = Table(
    "audit_event",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("target", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)
