"""The composition root: the one place that wires storage, registries and services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from kavach.hashsets.formats import FormatRegistry, default_registry
from kavach.settings import Settings
from kavach.storage.audit_repository import SqlAuditLog
from kavach.storage.database import make_engine, upgrade
from kavach.storage.hashset_repository import SqlHashsetRepository
from kavach.storage.image_repository import SqlImageRepository
from kavach.storage.report_queries import SqlReportQueries
from kavach.storage.scan_repository import SqlScanRepository


@dataclass
class Kavach:
    """Everything an adapter (CLI, API, web) needs, built once per process."""

    settings: Settings
    engine: Engine
    formats: FormatRegistry
    hashsets: SqlHashsetRepository
    scans: SqlScanRepository
    reports: SqlReportQueries
    audit: SqlAuditLog
    images: SqlImageRepository

    @property
    def index_root(self) -> Path:
        return self.settings.resolved_data_dir() / "indexes"

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings | None = None) -> Kavach:
    """Open (creating or upgrading) the database and its data folder."""
    settings = settings or Settings()
    data_dir = settings.resolved_data_dir()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    (data_dir / "indexes").mkdir(parents=True, exist_ok=True)
    scans = SqlScanRepository(engine)
    return Kavach(
        settings=settings,
        engine=engine,
        formats=default_registry(),
        hashsets=SqlHashsetRepository(engine),
        scans=scans,
        images=SqlImageRepository(engine, scans),
        reports=SqlReportQueries(engine),
        audit=SqlAuditLog(engine),
    )
