"""The composition root: the one place that wires storage, registries and services.

Adapters (CLI, API, pages) get a ``Kavach`` and call ``kavach.services``; nothing
outside this module names a storage class.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from kavach.audit.ports import AuditLog
from kavach.evidence.ports import ImageRepository, ScanRepository
from kavach.hashsets.formats import FormatRegistry, default_registry
from kavach.hashsets.ports import HashsetRepository, IndexBuilder
from kavach.reporting.ports import ReportQueries
from kavach.services.audit import AuditService
from kavach.services.casework import CaseworkService
from kavach.services.exhibits import ExhibitService
from kavach.services.hashsets import HashsetService
from kavach.services.hits import HitService
from kavach.services.isp import IspService
from kavach.services.maintenance import MaintenanceService
from kavach.services.placement import PlacementService
from kavach.services.scans import ScanService
from kavach.services.stats import StatsService
from kavach.services.tips import TipService
from kavach.services.units import UnitService
from kavach.settings import Settings
from kavach.storage.audit_repository import SqlAuditLog
from kavach.storage.case_repository import SqlCaseRepository
from kavach.storage.casework_repository import SqlCaseworkRepository
from kavach.storage.database import make_engine, upgrade
from kavach.storage.hashset_repository import SqlHashsetRepository
from kavach.storage.image_repository import SqlImageRepository
from kavach.storage.package_queries import SqlPackageQueries
from kavach.storage.report_queries import SqlReportQueries
from kavach.storage.scan_repository import SqlScanRepository
from kavach.storage.stats_queries import SqlStatsQueries
from kavach.storage.tip_repository import SqlTipRepository
from kavach.storage.unit_repository import SqlUnitRepository
from kavach.tips.formats import default_tip_formats


@dataclass(frozen=True)
class Services:
    """The use cases, each owning its transactions and audit entries."""

    hashsets: HashsetService
    exhibits: ExhibitService
    scans: ScanService
    hits: HitService
    audit: AuditService
    maintenance: MaintenanceService
    units: UnitService
    tips: TipService
    placement: PlacementService
    isp: IspService
    casework: CaseworkService
    stats: StatsService


@dataclass
class Kavach:
    """Everything an adapter (CLI, API, web) needs, built once per process."""

    settings: Settings
    engine: Engine
    formats: FormatRegistry
    hashsets: HashsetRepository
    scans: ScanRepository
    reports: ReportQueries
    audit: AuditLog
    images: ImageRepository
    services: Services

    @property
    def index_root(self) -> Path:
        return self.settings.resolved_data_dir() / "indexes"

    def close(self) -> None:
        self.engine.dispose()


def _index_builder(min_quality: int, spool: Path) -> IndexBuilder:
    """The matching side's index builder (imported when a list is imported)."""
    from kavach.matching.index_builder import ListIndexBuilder

    return ListIndexBuilder(min_quality, spool)


def build(settings: Settings | None = None) -> Kavach:
    """Open (creating or upgrading) the database and its data folder."""
    settings = settings or Settings()
    data_dir = settings.resolved_data_dir()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    index_root = data_dir / "indexes"
    index_root.mkdir(parents=True, exist_ok=True)
    formats = default_registry()
    hashsets = SqlHashsetRepository(engine)
    scans = SqlScanRepository(engine)
    images = SqlImageRepository(engine, scans)
    reports = SqlReportQueries(engine)
    audit = SqlAuditLog(engine)
    exhibits = ExhibitService(images, audit)
    new_index = partial(_index_builder, settings.pdq_min_quality, index_root)
    tip_store = SqlTipRepository(engine)
    casework_store = SqlCaseworkRepository(engine)
    units = UnitService(SqlUnitRepository(engine), audit)
    placement = PlacementService(tip_store, units, settings.geoip_db, audit)
    tips = TipService(
        tip_store, default_tip_formats(), hashsets, index_root, audit, placement.place
    )
    services = Services(
        hashsets=HashsetService(hashsets, formats, index_root, new_index, audit),
        exhibits=exhibits,
        scans=ScanService(
            scans, hashsets, reports, exhibits, audit, index_root, settings
        ),
        hits=HitService(scans, reports, audit),
        audit=AuditService(audit),
        maintenance=MaintenanceService(hashsets, audit, index_root),
        units=units,
        tips=tips,
        placement=placement,
        casework=CaseworkService(
            casework_store,
            SqlCaseRepository(engine, casework_store),
            audit,
            units.ensure_loaded,
            partial(tip_store.events, True),
        ),
        stats=StatsService(SqlStatsQueries(engine), SqlPackageQueries(engine), audit),
        isp=IspService(
            tip_store, audit, placement.place, tips.rescore, settings.geoip_asn_db
        ),
    )
    return Kavach(
        settings=settings,
        engine=engine,
        formats=formats,
        hashsets=hashsets,
        scans=scans,
        reports=reports,
        audit=audit,
        images=images,
        services=services,
    )
