"""The casework tables: units, tips, ISP replies, targets, operations, searches,
seized devices and their custody, persons, cases. Migration 0012 creates them.

Lists that are only ever read whole (a person's addresses, a tip's annotations) are
JSON text; everything a query filters or joins on is a column.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from kavach.casework_vocabulary import (
    AttributionState,
    CaseKind,
    CaseStatus,
    CustodyStep,
    LocatedBy,
    Outcome,
)
from kavach.storage.tables import metadata
from kavach.storage.timestamps import UtcDateTime
from kavach.vocabulary import check_values


def _one_of(table: str, column: str, values: str) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR {column} IN ({values})", name=f"ck_{table}_{column}"
    )


# ---- units: revenue districts, police districts, stations, localities ----

revenue_district = Table(
    "revenue_district",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("headquarters", String(120), nullable=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("aliases", Text, nullable=False, server_default="[]"),
)

police_district = Table(
    "police_district",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("revenue_district_id", ForeignKey("revenue_district.id"), nullable=False),
    # The police district an address in the revenue district goes to when its
    # locality names neither side of a City / Rural split.
    Column("default_for_district", Boolean, nullable=False, server_default=false()),
    Column("localities", Text, nullable=False, server_default="[]"),
)

police_station = Table(
    "police_station",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("police_district_id", ForeignKey("police_district.id"), nullable=False),
    Column("cyber", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("police_district_id", "name"),
)

# ---- tips ----

tip = Table(
    "tip",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(80), nullable=False),
    Column("report_id", String(120), nullable=False),
    Column("format", String(40), nullable=False),
    Column("received_at", UtcDateTime()),
    Column("esp", String(200)),
    Column("incident_type", String(200)),
    Column("incident_at", UtcDateTime()),
    Column("summary", Text),
    Column("high_priority", Boolean, nullable=False, server_default=false()),
    Column("annotations", Text, nullable=False, server_default="[]"),
    Column("prior_reports", Text, nullable=False, server_default="[]"),
    Column("group_identifier", String(200)),
    Column("est_city", String(200)),
    Column("est_region", String(200)),
    Column("est_country", String(10)),
    # SHA-256 of the report's content as Kavach read it: equal = nothing changed.
    Column("content_sha256", String(64), nullable=False),
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("file_name", Text, nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("target_id", ForeignKey("target.id"), index=True),
    Column("revenue_district", String(80)),
    Column("police_district_id", ForeignKey("police_district.id")),
    Column("station_id", ForeignKey("police_station.id")),
    Column("located_by", String(10)),
    Column("location_detail", Text),
    UniqueConstraint("source", "report_id"),
    _one_of("tip", "located_by", check_values(LocatedBy)),
    # The inbox reads newest first, the whole unit's or one station's (0016).
    Index("ix_tip_received", "received_at", "id"),
    Index("ix_tip_station_received", "station_id", "received_at", "id"),
)

tip_revision = Table(
    "tip_revision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tip_id", ForeignKey("tip.id"), nullable=False, index=True),
    Column("revision", Integer, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("by", String(200), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("changes", Text, nullable=False),  # JSON: field -> [before, after]
    UniqueConstraint("tip_id", "revision"),
)

tip_person = Table(
    "tip_person",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tip_id", ForeignKey("tip.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("first_name", String(200)),
    Column("last_name", String(200)),
    Column("display_name", String(200)),
    Column("date_of_birth", String(10)),
    Column("age", Integer),
    Column("addresses", Text, nullable=False, server_default="[]"),
    Column("convicted_sex_offender", Boolean),
    Column("access_to_children", Boolean),
)

tip_identifier = Table(
    "tip_identifier",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tip_id", ForeignKey("tip.id"), nullable=False, index=True),
    Column("person_seq", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("service", String(120)),
    Column("value", String(320), nullable=False),
    Column("key", String(500), nullable=False, index=True),
)

tip_ip_event = Table(
    "tip_ip_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tip_id", ForeignKey("tip.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("address", String(45), nullable=False, index=True),
    Column("port", Integer),
    Column("at", UtcDateTime()),
    Column("event", String(60)),
    Column("person_seq", Integer),
    Column("attribution", String(20), nullable=False, server_default="no_reply"),
    Column("attribution_reason", Text),
    Column("window_id", ForeignKey("isp_window.id")),
    _one_of("tip_ip_event", "attribution", check_values(AttributionState)),
)

tip_file = Table(
    "tip_file",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tip_id", ForeignKey("tip.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("name", Text),
    Column("original_name", Text),
    Column("hash_type", String(10)),
    Column("hash_value", String(128)),
    Column("viewed_by_esp", Boolean),
    Column("classification", String(10)),
    Column("annotations", Text, nullable=False, server_default="[]"),
    # JSON: [{"list", "version", "category", "status"}] found at import.
    Column("list_matches", Text, nullable=False, server_default="[]"),
)

tip_attachment = Table(
    "tip_attachment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tip_id", ForeignKey("tip.id"), nullable=False, index=True),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
)

# ---- ISP replies ----

isp_reply = Table(
    "isp_reply",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False, unique=True),
    Column("isp", String(200)),
    Column("windows", Integer, nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
    Column("imported_by", String(200), nullable=False),
)

isp_window = Table(
    "isp_window",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reply_id", ForeignKey("isp_reply.id"), nullable=False, index=True),
    Column("address", String(45), nullable=False, index=True),
    Column("port_low", Integer),
    Column("port_high", Integer),
    Column("start", UtcDateTime(), nullable=False),
    Column("end", UtcDateTime(), nullable=False),
    Column("subscriber", String(300)),
    Column("postal_address", Text),
    Column("pincode", String(6)),
    Column("phone", String(40)),
    Column("row", String(80), nullable=False),
    Column("extra", Text, nullable=False, server_default="{}"),
)

# ---- targets ----

target = Table(
    "target",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("score", Integer, nullable=False, server_default="0"),
    Column("explanation", Text, nullable=False, server_default="[]"),
    Column("revenue_district", String(80)),
    Column("police_district_id", ForeignKey("police_district.id")),
    Column("station_id", ForeignKey("police_station.id")),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# ---- persons ----

person = Table(
    "person",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),  # Latin script
    Column("name_malayalam", String(300)),
    Column("father_name", String(300)),
    Column("date_of_birth", Date),
    Column("age", Integer),
    Column("address", Text),
    Column("pincode", String(6)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
)

person_identifier = Table(
    "person_identifier",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("person.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("service", String(120)),
    Column("value", String(320), nullable=False),
    Column("key", String(500), nullable=False, index=True),
    UniqueConstraint("person_id", "key"),
)

# Which records a person appears in: tip, search, case, arrest, device.
person_link = Table(
    "person_link",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("person.id"), nullable=False, index=True),
    Column("record", String(20), nullable=False),
    Column("record_id", Integer, nullable=False),
    Column("role", String(40), nullable=False),
    UniqueConstraint("person_id", "record", "record_id", "role"),
    Index("ix_person_link_record", "record", "record_id"),
)

# ---- operations, searches, seizures, custody ----

operation = Table(
    "operation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("districts", Text, nullable=False, server_default="[]"),
    Column("approved_by", String(200)),
    Column("approved_at", UtcDateTime()),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

operation_target = Table(
    "operation_target",
    metadata,
    Column("operation_id", ForeignKey("operation.id"), primary_key=True),
    Column("target_id", ForeignKey("target.id"), primary_key=True),
)

search = Table(
    "search",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("operation_id", ForeignKey("operation.id"), index=True),
    Column("target_id", ForeignKey("target.id")),
    Column("station_id", ForeignKey("police_station.id")),
    Column("location", Text, nullable=False),
    # Distinct locations are counted on this normalised form of the address.
    Column("location_key", String(500), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime()),
    Column("team_lead", String(200), nullable=False),
    Column("witnesses", Text, nullable=False, server_default="[]"),
    Column("recording_file", Text),
    Column("recording_sha256", String(64)),
    Column("recording_forwarded_at", UtcDateTime()),
    Column("outcome", String(200)),
    Column("notes", Text),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

safeguarding_referral = Table(
    "safeguarding_referral",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("search_id", ForeignKey("search.id"), nullable=False, index=True),
    # A child is recorded by a reference and age, never by name, in this table.
    Column("child_ref", String(60), nullable=False),
    Column("age", Integer),
    Column("committee", String(200), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("opened_by", String(200), nullable=False),
    Column("closed_at", UtcDateTime()),
    Column("outcome", Text),
)

seized_device = Table(
    "seized_device",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(200), nullable=False, unique=True),
    Column("search_id", ForeignKey("search.id"), index=True),
    Column("case_id", ForeignKey("case_record.id"), index=True),
    Column("device_type", String(60), nullable=False),
    Column("make", String(120)),
    Column("model", String(120)),
    Column("imei", String(20)),
    Column("serial", String(120)),
    Column("seal_number", String(120)),
    Column("owner_person_id", ForeignKey("person.id")),
    # The triage exhibit (forensic images, scans) the device was examined as.
    Column("exhibit_id", ForeignKey("exhibit.id")),
    Column("seized_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
)

# Only ever grows: triggers in migration 0012 refuse UPDATE and DELETE.
custody_event = Table(
    "custody_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("device_id", ForeignKey("seized_device.id"), nullable=False, index=True),
    Column("step", String(20), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("by", String(200), nullable=False),
    Column("place", String(300)),
    Column("remarks", Text),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    _one_of("custody_event", "step", check_values(CustodyStep)),
)

# ---- cases ----

legal_section = Table(
    "legal_section",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),  # "POCSO 15(2)"
    Column("act", String(120), nullable=False),
    Column("section", String(20), nullable=False),
    Column("title", Text, nullable=False),
    # A repeat conviction carries a harsher sentence (IT Act 67B, POCSO 14, 15).
    Column("repeat_harsher", Boolean, nullable=False, server_default=false()),
    Column("pocso", Boolean, nullable=False, server_default=false()),
)

case_record = Table(
    "case_record",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("station_id", ForeignKey("police_station.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("serial", Integer, nullable=False),
    Column("number_text", String(200), nullable=False),  # as printed
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("operation_id", ForeignKey("operation.id"), index=True),
    Column("search_id", ForeignKey("search.id")),
    Column("target_id", ForeignKey("target.id")),
    Column("status", String(20), nullable=False),
    Column("informant", String(300)),
    Column("progress_notice_at", UtcDateTime()),
    Column("created_by", String(200), nullable=False),
    UniqueConstraint("kind", "station_id", "year", "serial"),
    _one_of("case_record", "kind", check_values(CaseKind)),
    _one_of("case_record", "status", check_values(CaseStatus)),
    Index("ix_case_record_registered", "registered_at"),
    Index("ix_case_record_station_registered", "station_id", "registered_at"),
)

case_section = Table(
    "case_section",
    metadata,
    Column("case_id", ForeignKey("case_record.id"), primary_key=True),
    Column("section_id", ForeignKey("legal_section.id"), primary_key=True),
)

case_status_event = Table(
    "case_status_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("case_record.id"), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("by", String(200), nullable=False),
    Column("note", Text),
)

arrest = Table(
    "arrest",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("case_record.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("person.id"), nullable=False, index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("place", String(300)),
    Column("by", String(200), nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

charge_sheet = Table(
    "charge_sheet",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("case_record.id"), nullable=False, index=True),
    Column("filed_at", UtcDateTime(), nullable=False),
    Column("court", String(300)),
    Column("number", String(120)),
    Column("recorded_by", String(200), nullable=False),
)

court_outcome = Table(
    "court_outcome",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("case_record.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("person.id")),
    Column("outcome", String(20), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=False),
    Column("court", String(300)),
    Column("sentence", Text),
    Column("recorded_by", String(200), nullable=False),
    _one_of("court_outcome", "outcome", check_values(Outcome)),
)

# Tables whose rows are evidence of what happened: the database itself refuses to
# change or remove them (triggers), not only the code.
APPEND_ONLY = ("custody_event", "audit_event")
