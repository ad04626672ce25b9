# ruff: noqa: E501  (CHECK constraint lists rendered by Alembic, one string each)
"""The casework tables (units, tips, ISP replies, targets, operations, searches,
seized devices, custody, persons, cases) and append-only triggers

Revision ID: 0012_casework
Revises: 0011_run_process
Create Date: 2026-12-02

``custody_event`` and ``audit_event`` refuse UPDATE and DELETE in the database
itself, on SQLite and PostgreSQL alike, so the chain of custody and the audit log
cannot be quietly edited by anyone holding the database file or a login.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_casework"
down_revision = "0011_run_process"
branch_labels = None
depends_on = None

APPEND_ONLY = ("custody_event", "audit_event")
TABLES = [
    "court_outcome",
    "charge_sheet",
    "arrest",
    "case_status_event",
    "case_section",
    "custody_event",
    "seized_device",
    "case_record",
    "safeguarding_referral",
    "search",
    "operation_target",
    "operation",
    "person_link",
    "person_identifier",
    "person",
    "tip_attachment",
    "tip_file",
    "tip_ip_event",
    "isp_window",
    "isp_reply",
    "tip_identifier",
    "tip_person",
    "tip_revision",
    "tip",
    "target",
    "legal_section",
    "police_station",
    "police_district",
    "revenue_district",
]


def upgrade() -> None:
    create_tables()
    for table in APPEND_ONLY:
        refuse_changes(table)


def create_tables() -> None:
    op.create_table(
        "isp_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("isp", sa.String(length=200), nullable=True),
        sa.Column("windows", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_isp_reply")),
        sa.UniqueConstraint("file_sha256", name=op.f("uq_isp_reply_file_sha256")),
    )
    op.create_table(
        "legal_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("act", sa.String(length=120), nullable=False),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column(
            "repeat_harsher", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column("pocso", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_section")),
        sa.UniqueConstraint("code", name=op.f("uq_legal_section_code")),
    )
    op.create_table(
        "operation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("districts", sa.Text(), server_default="[]", nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation")),
        sa.UniqueConstraint("name", name=op.f("uq_operation_name")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_malayalam", sa.String(length=300), nullable=True),
        sa.Column("father_name", sa.String(length=300), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("pincode", sa.String(length=6), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    op.create_table(
        "revenue_district",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("headquarters", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("aliases", sa.Text(), server_default="[]", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revenue_district")),
        sa.UniqueConstraint("name", name=op.f("uq_revenue_district_name")),
    )
    op.create_table(
        "isp_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=False),
        sa.Column("port_low", sa.Integer(), nullable=True),
        sa.Column("port_high", sa.Integer(), nullable=True),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subscriber", sa.String(length=300), nullable=True),
        sa.Column("postal_address", sa.Text(), nullable=True),
        sa.Column("pincode", sa.String(length=6), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("row", sa.String(length=80), nullable=False),
        sa.Column("extra", sa.Text(), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["isp_reply.id"],
            name=op.f("fk_isp_window_reply_id_isp_reply"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_isp_window")),
    )
    op.create_index(
        op.f("ix_isp_window_address"), "isp_window", ["address"], unique=False
    )
    op.create_index(
        op.f("ix_isp_window_reply_id"), "isp_window", ["reply_id"], unique=False
    )
    op.create_table(
        "person_identifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=120), nullable=True),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_identifier_person_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_identifier")),
        sa.UniqueConstraint(
            "person_id", "key", name=op.f("uq_person_identifier_person_id")
        ),
    )
    op.create_index(
        op.f("ix_person_identifier_key"), "person_identifier", ["key"], unique=False
    )
    op.create_index(
        op.f("ix_person_identifier_person_id"),
        "person_identifier",
        ["person_id"],
        unique=False,
    )
    op.create_table(
        "person_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("record", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_link_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_link")),
        sa.UniqueConstraint(
            "person_id",
            "record",
            "record_id",
            "role",
            name=op.f("uq_person_link_person_id"),
        ),
    )
    op.create_index(
        op.f("ix_person_link_person_id"), "person_link", ["person_id"], unique=False
    )
    op.create_index(
        "ix_person_link_record", "person_link", ["record", "record_id"], unique=False
    )
    op.create_table(
        "police_district",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("revenue_district_id", sa.Integer(), nullable=False),
        sa.Column(
            "default_for_district",
            sa.Boolean(),
            server_default=sa.false(),
            nullable=False,
        ),
        sa.Column("localities", sa.Text(), server_default="[]", nullable=False),
        sa.ForeignKeyConstraint(
            ["revenue_district_id"],
            ["revenue_district.id"],
            name=op.f("fk_police_district_revenue_district_id_revenue_district"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_district")),
        sa.UniqueConstraint("code", name=op.f("uq_police_district_code")),
        sa.UniqueConstraint("name", name=op.f("uq_police_district_name")),
    )
    op.create_table(
        "police_station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("police_district_id", sa.Integer(), nullable=False),
        sa.Column("cyber", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["police_district_id"],
            ["police_district.id"],
            name=op.f("fk_police_station_police_district_id_police_district"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_station")),
        sa.UniqueConstraint(
            "police_district_id",
            "name",
            name=op.f("uq_police_station_police_district_id"),
        ),
    )
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), server_default="0", nullable=False),
        sa.Column("explanation", sa.Text(), server_default="[]", nullable=False),
        sa.Column("revenue_district", sa.String(length=80), nullable=True),
        sa.Column("police_district_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["police_district_id"],
            ["police_district.id"],
            name=op.f("fk_target_police_district_id_police_district"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["police_station.id"],
            name=op.f("fk_target_station_id_police_station"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
    )
    op.create_table(
        "operation_target",
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operation.id"],
            name=op.f("fk_operation_target_operation_id_operation"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["target.id"],
            name=op.f("fk_operation_target_target_id_target"),
        ),
        sa.PrimaryKeyConstraint(
            "operation_id", "target_id", name=op.f("pk_operation_target")
        ),
    )
    op.create_table(
        "search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("location_key", sa.String(length=500), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("team_lead", sa.String(length=200), nullable=False),
        sa.Column("witnesses", sa.Text(), server_default="[]", nullable=False),
        sa.Column("recording_file", sa.Text(), nullable=True),
        sa.Column("recording_sha256", sa.String(length=64), nullable=True),
        sa.Column("recording_forwarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operation.id"],
            name=op.f("fk_search_operation_id_operation"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["police_station.id"],
            name=op.f("fk_search_station_id_police_station"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["target.id"], name=op.f("fk_search_target_id_target")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search")),
    )
    op.create_index(
        op.f("ix_search_operation_id"), "search", ["operation_id"], unique=False
    )
    op.create_table(
        "tip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("report_id", sa.String(length=120), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("esp", sa.String(length=200), nullable=True),
        sa.Column("incident_type", sa.String(length=200), nullable=True),
        sa.Column("incident_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column(
            "high_priority", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column("annotations", sa.Text(), server_default="[]", nullable=False),
        sa.Column("prior_reports", sa.Text(), server_default="[]", nullable=False),
        sa.Column("group_identifier", sa.String(length=200), nullable=True),
        sa.Column("est_city", sa.String(length=200), nullable=True),
        sa.Column("est_region", sa.String(length=200), nullable=True),
        sa.Column("est_country", sa.String(length=10), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("revenue_district", sa.String(length=80), nullable=True),
        sa.Column("police_district_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("located_by", sa.String(length=10), nullable=True),
        sa.Column("location_detail", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "located_by IS NULL OR located_by IN ('isp', 'geoip', 'report')",
            name="ck_tip_located_by",
        ),
        sa.ForeignKeyConstraint(
            ["police_district_id"],
            ["police_district.id"],
            name=op.f("fk_tip_police_district_id_police_district"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["police_station.id"],
            name=op.f("fk_tip_station_id_police_station"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["target.id"], name=op.f("fk_tip_target_id_target")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip")),
        sa.UniqueConstraint("source", "report_id", name=op.f("uq_tip_source")),
    )
    op.create_index(op.f("ix_tip_target_id"), "tip", ["target_id"], unique=False)
    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number_text", sa.String(length=200), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("search_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("informant", sa.String(length=300), nullable=True),
        sa.Column("progress_notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "kind IS NULL OR kind IN ('fir', 'seizure_report')",
            name="ck_case_record_kind",
        ),
        sa.CheckConstraint(
            "status IS NULL OR status IN ('registered', 'under_investigation', 'charge_sheeted', 'in_trial', 'disposed', 'closed')",
            name="ck_case_record_status",
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operation.id"],
            name=op.f("fk_case_record_operation_id_operation"),
        ),
        sa.ForeignKeyConstraint(
            ["search_id"], ["search.id"], name=op.f("fk_case_record_search_id_search")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["police_station.id"],
            name=op.f("fk_case_record_station_id_police_station"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["target.id"], name=op.f("fk_case_record_target_id_target")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_record")),
        sa.UniqueConstraint(
            "kind", "station_id", "year", "serial", name=op.f("uq_case_record_kind")
        ),
    )
    op.create_index(
        op.f("ix_case_record_operation_id"),
        "case_record",
        ["operation_id"],
        unique=False,
    )
    op.create_table(
        "safeguarding_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("search_id", sa.Integer(), nullable=False),
        sa.Column("child_ref", sa.String(length=60), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["search_id"],
            ["search.id"],
            name=op.f("fk_safeguarding_referral_search_id_search"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_referral")),
    )
    op.create_index(
        op.f("ix_safeguarding_referral_search_id"),
        "safeguarding_referral",
        ["search_id"],
        unique=False,
    )
    op.create_table(
        "tip_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tip.id"], name=op.f("fk_tip_attachment_tip_id_tip")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_attachment")),
    )
    op.create_index(
        op.f("ix_tip_attachment_tip_id"), "tip_attachment", ["tip_id"], unique=False
    )
    op.create_table(
        "tip_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("original_name", sa.Text(), nullable=True),
        sa.Column("hash_type", sa.String(length=10), nullable=True),
        sa.Column("hash_value", sa.String(length=128), nullable=True),
        sa.Column("viewed_by_esp", sa.Boolean(), nullable=True),
        sa.Column("classification", sa.String(length=10), nullable=True),
        sa.Column("annotations", sa.Text(), server_default="[]", nullable=False),
        sa.Column("list_matches", sa.Text(), server_default="[]", nullable=False),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tip.id"], name=op.f("fk_tip_file_tip_id_tip")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_file")),
    )
    op.create_index(op.f("ix_tip_file_tip_id"), "tip_file", ["tip_id"], unique=False)
    op.create_table(
        "tip_identifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("person_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=120), nullable=True),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tip.id"], name=op.f("fk_tip_identifier_tip_id_tip")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_identifier")),
    )
    op.create_index(
        op.f("ix_tip_identifier_key"), "tip_identifier", ["key"], unique=False
    )
    op.create_index(
        op.f("ix_tip_identifier_tip_id"), "tip_identifier", ["tip_id"], unique=False
    )
    op.create_table(
        "tip_ip_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=False),
        sa.Column("port", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("event", sa.String(length=60), nullable=True),
        sa.Column("person_seq", sa.Integer(), nullable=True),
        sa.Column(
            "attribution",
            sa.String(length=20),
            server_default="no_reply",
            nullable=False,
        ),
        sa.Column("attribution_reason", sa.Text(), nullable=True),
        sa.Column("window_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "attribution IS NULL OR attribution IN ('attributed', 'not_attributable', 'ambiguous', 'no_reply')",
            name="ck_tip_ip_event_attribution",
        ),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tip.id"], name=op.f("fk_tip_ip_event_tip_id_tip")
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["isp_window.id"],
            name=op.f("fk_tip_ip_event_window_id_isp_window"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_ip_event")),
    )
    op.create_index(
        op.f("ix_tip_ip_event_address"), "tip_ip_event", ["address"], unique=False
    )
    op.create_index(
        op.f("ix_tip_ip_event_tip_id"), "tip_ip_event", ["tip_id"], unique=False
    )
    op.create_table(
        "tip_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=True),
        sa.Column("last_name", sa.String(length=200), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("date_of_birth", sa.String(length=10), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("addresses", sa.Text(), server_default="[]", nullable=False),
        sa.Column("convicted_sex_offender", sa.Boolean(), nullable=True),
        sa.Column("access_to_children", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tip.id"], name=op.f("fk_tip_person_tip_id_tip")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_person")),
    )
    op.create_index(
        op.f("ix_tip_person_tip_id"), "tip_person", ["tip_id"], unique=False
    )
    op.create_table(
        "tip_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tip.id"], name=op.f("fk_tip_revision_tip_id_tip")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_revision")),
        sa.UniqueConstraint("tip_id", "revision", name=op.f("uq_tip_revision_tip_id")),
    )
    op.create_index(
        op.f("ix_tip_revision_tip_id"), "tip_revision", ["tip_id"], unique=False
    )
    op.create_table(
        "arrest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_arrest_case_id_case_record")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_arrest_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrest")),
    )
    op.create_index(op.f("ix_arrest_case_id"), "arrest", ["case_id"], unique=False)
    op.create_index(op.f("ix_arrest_person_id"), "arrest", ["person_id"], unique=False)
    op.create_table(
        "case_section",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_case_section_case_id_case_record"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["legal_section.id"],
            name=op.f("fk_case_section_section_id_legal_section"),
        ),
        sa.PrimaryKeyConstraint("case_id", "section_id", name=op.f("pk_case_section")),
    )
    op.create_table(
        "case_status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_case_status_event_case_id_case_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_event")),
    )
    op.create_index(
        op.f("ix_case_status_event_case_id"),
        "case_status_event",
        ["case_id"],
        unique=False,
    )
    op.create_table(
        "charge_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("court", sa.String(length=300), nullable=True),
        sa.Column("number", sa.String(length=120), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_charge_sheet_case_id_case_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charge_sheet")),
    )
    op.create_index(
        op.f("ix_charge_sheet_case_id"), "charge_sheet", ["case_id"], unique=False
    )
    op.create_table(
        "court_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("court", sa.String(length=300), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('convicted', 'acquitted', 'discharged', 'compounded', 'abated')",
            name="ck_court_outcome_outcome",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_court_outcome_case_id_case_record"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_court_outcome_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_outcome")),
    )
    op.create_index(
        op.f("ix_court_outcome_case_id"), "court_outcome", ["case_id"], unique=False
    )
    op.create_table(
        "seized_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("search_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("device_type", sa.String(length=60), nullable=False),
        sa.Column("make", sa.String(length=120), nullable=True),
        sa.Column("model", sa.String(length=120), nullable=True),
        sa.Column("imei", sa.String(length=20), nullable=True),
        sa.Column("serial", sa.String(length=120), nullable=True),
        sa.Column("seal_number", sa.String(length=120), nullable=True),
        sa.Column("owner_person_id", sa.Integer(), nullable=True),
        sa.Column("exhibit_id", sa.Integer(), nullable=True),
        sa.Column("seized_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_seized_device_case_id_case_record"),
        ),
        sa.ForeignKeyConstraint(
            ["exhibit_id"],
            ["exhibit.id"],
            name=op.f("fk_seized_device_exhibit_id_exhibit"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_person_id"],
            ["person.id"],
            name=op.f("fk_seized_device_owner_person_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["search_id"], ["search.id"], name=op.f("fk_seized_device_search_id_search")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seized_device")),
        sa.UniqueConstraint("label", name=op.f("uq_seized_device_label")),
    )
    op.create_index(
        op.f("ix_seized_device_case_id"), "seized_device", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_seized_device_search_id"), "seized_device", ["search_id"], unique=False
    )
    op.create_table(
        "custody_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "step IS NULL OR step IN ('seized', 'sealed', 'dispatched', 'received_at_lab', 'imaged', 'examined', 'returned', 'produced_in_court')",
            name="ck_custody_event_step",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["seized_device.id"],
            name=op.f("fk_custody_event_device_id_seized_device"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_event")),
    )
    op.create_index(
        op.f("ix_custody_event_device_id"), "custody_event", ["device_id"], unique=False
    )


def refuse_changes(table: str) -> None:
    """Triggers that make ``table`` append-only."""
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
    # TRUNCATE is not a row operation: it needs its own statement-level trigger.
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse()"
    )


def downgrade() -> None:
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_refuse()")
    for table in TABLES:
        op.drop_table(table)
