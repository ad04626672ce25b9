"""The watchlist: what analysts watch, and the alerts new records raised.

Migration 0019 creates these tables. A watch is on a directory person (whatever
identifiers and groups he has when a record comes in) or on one identifier or
group an analyst pins. ``watch_sweep`` remembers, per kind of record, the last row
already looked at, so each record raises its alerts once.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from kavach.storage.tables import metadata
from kavach.storage.timestamps import UtcDateTime

watch = Table(
    "watch",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("directory_person.id")),
    # "phone||+919847012345", "group|whatsapp|...@g.us": as Identifier.key() writes
    Column("key", String(500)),
    Column("label", Text, nullable=False),  # what the analyst asked to watch
    Column("note", Text),
    Column("analyst", String(200), nullable=False),
    Column("station", String(200)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime()),
    Column("ended_by", String(200)),
)

watch_alert = Table(
    "watch_alert",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watch_id", ForeignKey("watch.id"), nullable=False, index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("source", String(20), nullable=False),  # tip, isp, search, scan, phone
    Column("reference", Text, nullable=False),  # "tip 40", "ISP reply 3 window 7"
    Column("matched", Text, nullable=False),  # the identifier or group that matched
    Column("analyst", String(200), nullable=False),
    Column("station", String(200)),
    Column("seen_at", UtcDateTime()),
    Column("seen_by", String(200)),
    Index("ix_watch_alert_station", "station"),
)

watch_sweep = Table(
    "watch_sweep",
    metadata,
    Column("source", String(40), primary_key=True),
    Column("last_id", Integer, nullable=False),
    Column("swept_at", UtcDateTime(), nullable=False),
)
