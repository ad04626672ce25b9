"""Background jobs started from the web. Migration 0017 creates the table.

A job's row is its whole state: a page reload, the API or another server process
reads progress from here, never from the memory of the process running it.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from kavach.jobs.model import JobKind, JobStatus
from kavach.storage.tables import metadata, one_of
from kavach.storage.timestamps import UtcDateTime

background_job = Table(
    "background_job",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("label", Text, nullable=False),  # the list's file, the scanned path
    Column("started_by", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("started_at", UtcDateTime()),
    Column("finished_at", UtcDateTime()),
    Column("done", Integer, nullable=False, server_default="0"),
    Column("total", Integer),
    Column("unit", String(20), nullable=False),  # what done/total count
    Column("message", Text),  # why it failed or was interrupted
    Column("result", Text, nullable=False, server_default="{}"),  # JSON
    # host:pid of the server process running it: a job whose process is gone
    # was interrupted, not running.
    Column("owner", String(200), nullable=False),
    one_of("background_job", "kind", JobKind),
    one_of("background_job", "status", JobStatus),
    Index("ix_background_job_started_by", "started_by", "id"),
)
