"""The directory of persons: resolved persons, their records, links, decisions.

Migration 0019 creates these tables. A *record* is any person-shaped row Kavach
holds (a casework person, a tip's subject, an ISP subscriber), named by a key:
``person:12``, ``tip:40:1`` (tip 40, its first person), ``isp:7`` (ISP window 7).
A directory person is the group of records judged one man; its id is stable.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from kavach.entities.vocabulary import DecisionKind, LinkState, RunMode
from kavach.storage.tables import metadata, one_of
from kavach.storage.timestamps import UtcDateTime

directory_run = Table(
    "directory_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("mode", String(20), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("by", String(200), nullable=False),
    Column("records", Integer, nullable=False),
    Column("new_records", Integer, nullable=False),
    Column("persons", Integer, nullable=False),
    Column("new_persons", Integer, nullable=False),
    Column("links", Integer, nullable=False),
    Column("pairs_scored", Integer, nullable=False),
    Column("threshold", Float, nullable=False),
    # The Splink model (JSON) that scored the pairs: later runs score alike.
    Column("model", Text, nullable=False, server_default="{}"),
    one_of("directory_run", "mode", RunMode),
)

directory_person = Table(
    "directory_person",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_run_id", ForeignKey("directory_run.id"), nullable=False),
    # A person all of whose records went elsewhere keeps its row (its id was
    # written down somewhere): retired, and merged into the person that took them.
    Column("retired_at", UtcDateTime()),
    Column("merged_into", ForeignKey("directory_person.id")),
)

directory_member = Table(
    "directory_member",
    metadata,
    Column("record_key", String(80), primary_key=True),
    Column("person_id", ForeignKey("directory_person.id"), nullable=False),
    Column("run_id", ForeignKey("directory_run.id"), nullable=False),
    Index("ix_directory_member_person", "person_id"),
)

directory_link = Table(
    "directory_link",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("directory_run.id"), nullable=False),
    Column("left_key", String(80), nullable=False),
    Column("right_key", String(80), nullable=False),
    Column("state", String(20), nullable=False),
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("identifier", String(20)),  # the rare identifier that linked them
    Column("levels", Text, nullable=False),  # JSON: comparison -> level
    Column("weights", Text, nullable=False),  # JSON: comparison -> weight
    one_of("directory_link", "state", LinkState),
    Index("ix_directory_link_left", "left_key"),
    Index("ix_directory_link_right", "right_key"),
)

directory_decision = Table(
    "directory_decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("left_key", String(80), nullable=False),
    Column("right_key", String(80), nullable=False),
    Column("reason", Text, nullable=False),
    Column("by", String(200), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    one_of("directory_decision", "kind", DecisionKind),
    Index("ix_directory_decision_pair", "left_key", "right_key"),
)
