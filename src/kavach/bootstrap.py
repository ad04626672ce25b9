"""The composition root: the one place that wires storage, registries and services.

Adapters (CLI, API, pages) get a ``Kavach`` and call ``kavach.services``; nothing
outside this module names a storage class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from kavach.audit.ports import AuditLog
from kavach.evidence.ports import ImageRepository, ScanRepository
from kavach.hashsets.formats import FormatRegistry, default_registry
from kavach.hashsets.ports import HashsetRepository, IndexBuilder
from kavach.reporting.ports import ReportQueries
from kavach.services.audit import AuditService
from kavach.services.exhibits import ExhibitService
from kavach.services.hashsets import HashsetService
from kavach.services.hits import HitService
from kavach.services.maintenance import MaintenanceService
from kavach.services.material import MaterialService
from kavach.services.scans import ScanService
from kavach.settings import Settings
from kavach.storage.audit_repository import SqlAuditLog
from kavach.storage.database import make_engine, upgrade
from kavach.storage.hashset_repository import SqlHashsetRepository
from kavach.storage.image_repository import SqlImageRepository
from kavach.storage.report_queries import SqlReportQueries
from kavach.storage.review_repository import SqlReviewRepository
from kavach.storage.scan_repository import SqlScanRepository

if TYPE_CHECKING:  # the casework services are built on first use (see Casework)
    from kavach.services.accounts import AccountService
    from kavach.services.backups import BackupService
    from kavach.services.cameras import CameraService
    from kavach.services.casework import CaseworkService
    from kavach.services.directory import DirectoryService
    from kavach.services.isp import IspService
    from kavach.services.jobs import JobService
    from kavach.services.messaging import MessagingService
    from kavach.services.network import NetworkService
    from kavach.services.operations import OperationService
    from kavach.services.papers import PaperService
    from kavach.services.placement import PlacementService
    from kavach.services.records import RecordService
    from kavach.services.stats import StatsService
    from kavach.services.tips import TipService
    from kavach.services.units import UnitService
    from kavach.services.watch import WatchService


@dataclass(frozen=True)
class Casework:
    """The casework services, wired together."""

    units: UnitService
    tips: TipService
    placement: PlacementService
    isp: IspService
    casework: CaseworkService
    stats: StatsService
    backups: BackupService


@dataclass(frozen=True)
class Services:
    """The use cases, each owning its transactions and audit entries."""

    hashsets: HashsetService
    exhibits: ExhibitService
    scans: ScanService
    hits: HitService
    material: MaterialService
    audit: AuditService
    maintenance: MaintenanceService
    # What the casework services are built from, when first asked for.
    wiring: _Wiring = field(repr=False)

    @cached_property
    def _casework(self) -> Casework:
        return _casework(self.wiring)

    @property
    def units(self) -> UnitService:
        return self._casework.units

    @property
    def tips(self) -> TipService:
        return self._casework.tips

    @property
    def placement(self) -> PlacementService:
        return self._casework.placement

    @property
    def isp(self) -> IspService:
        return self._casework.isp

    @property
    def casework(self) -> CaseworkService:
        return self._casework.casework

    @property
    def stats(self) -> StatsService:
        return self._casework.stats

    @property
    def backups(self) -> BackupService:
        return self._casework.backups

    @cached_property
    def accounts(self) -> AccountService:
        """Local accounts, logins, sessions and API tokens (built when first
        asked for; stations are looked up through the unit directory)."""
        from kavach.services.accounts import AccountService
        from kavach.storage.account_repository import SqlAccountRepository

        w = self.wiring
        return AccountService(
            SqlAccountRepository(w.engine),
            lambda actor: self.units.ensure_loaded(actor),
            w.audit,
            session_idle=timedelta(minutes=w.settings.session_idle_minutes),
            session_lifetime=timedelta(hours=w.settings.session_hours),
        )

    @cached_property
    def messaging(self) -> MessagingService:
        """Messaging apps' databases on phone extractions, media hashes looked up."""
        from kavach.services.messaging import MessagingService
        from kavach.storage.phone_repository import SqlPhoneRepository

        w = self.wiring
        return MessagingService(
            w.hashsets, w.index_root, w.audit, SqlPhoneRepository(w.engine)
        )

    @cached_property
    def directory(self) -> DirectoryService:
        """Person records resolved into persons, with the analyst's decisions."""
        from kavach.services.directory import DirectoryService
        from kavach.storage.directory_queries import SqlDirectoryQueries
        from kavach.storage.directory_repository import SqlDirectoryRepository

        w = self.wiring
        return DirectoryService(
            SqlDirectoryRepository(w.engine), SqlDirectoryQueries(w.engine), w.audit
        )

    @cached_property
    def network(self) -> NetworkService:
        """The network of directory persons: groups, identifiers, items."""
        from kavach.services.network import NetworkService
        from kavach.storage.network_queries import SqlNetworkQueries

        return NetworkService(SqlNetworkQueries(self.wiring.engine), self.wiring.audit)

    @cached_property
    def watch(self) -> WatchService:
        """The watchlist and its alerts."""
        from kavach.services.watch import WatchService
        from kavach.storage.watch_repository import SqlWatchRepository

        return WatchService(SqlWatchRepository(self.wiring.engine), self.wiring.audit)

    @cached_property
    def records(self) -> RecordService:
        """Paged, scoped, audited reads for the API and the pages."""
        from kavach.services.records import RecordService
        from kavach.storage.record_queries import SqlRecordQueries

        return RecordService(SqlRecordQueries(self.wiring.engine), self.wiring.audit)

    @cached_property
    def jobs(self) -> JobService:
        """Imports and scans started from the web, run in the background."""
        from kavach.services.jobs import JobService
        from kavach.storage.job_repository import SqlJobRepository

        w = self.wiring
        data = w.settings.resolved_data_dir()
        url = w.settings.database_url
        quick = (
            make_engine(url, busy_timeout=0.05) if url.startswith("sqlite") else None
        )
        return JobService(
            SqlJobRepository(w.engine, quick),
            self.hashsets,
            self.scans,
            w.audit,
            uploads=data / "uploads",
            reports=data / "reports",
            evidence_root=w.settings.evidence_root,
        )

    @cached_property
    def operations(self) -> OperationService:
        """The operations board of the web pages."""
        from kavach.services.operations import OperationService
        from kavach.storage.casework_repository import SqlCaseworkRepository
        from kavach.storage.package_queries import SqlPackageQueries

        w = self.wiring
        return OperationService(
            SqlCaseworkRepository(w.engine), SqlPackageQueries(w.engine), w.audit
        )

    @cached_property
    def cameras(self) -> CameraService:
        from kavach.services.cameras import CameraService
        from kavach.storage.camera_queries import SqlCameraQueries

        return CameraService(SqlCameraQueries(self.wiring.engine), self.wiring.audit)

    @cached_property
    def papers(self) -> PaperService:
        """The court papers (imported when first asked for, like casework)."""
        from kavach.services.papers import PaperService
        from kavach.storage.paper_queries import SqlPaperQueries
        from kavach.storage.report_queries import SqlReportQueries

        w = self.wiring
        return PaperService(
            SqlPaperQueries(w.engine), SqlReportQueries(w.engine), w.audit
        )


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
        if "jobs" in vars(self.services):  # built: let a running job end first
            self.services.jobs.close()
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
    reviews = SqlReviewRepository(engine)
    audit = SqlAuditLog(engine)
    exhibits = ExhibitService(images, audit)
    new_index = partial(_index_builder, settings.pdq_min_quality, index_root)
    services = Services(
        hashsets=HashsetService(hashsets, formats, index_root, new_index, audit),
        exhibits=exhibits,
        scans=ScanService(
            scans, hashsets, reports, exhibits, audit, index_root, settings
        ),
        hits=HitService(scans, reports, reviews, audit),
        material=MaterialService(reviews, scans, audit),
        audit=AuditService(audit),
        maintenance=MaintenanceService(hashsets, audit, index_root),
        wiring=_Wiring(engine, settings, audit, hashsets, index_root),
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


@dataclass(frozen=True)
class _Wiring:
    engine: Engine
    settings: Settings
    audit: AuditLog
    hashsets: HashsetRepository
    index_root: Path


def _casework(w: _Wiring) -> Casework:
    """Tips, ISP, units, operations, cases and statistics over the same database.

    Imported here, not at the top, so a triage command (scan, hashset list) does
    not load them.
    """
    from kavach.services.backups import BackupService
    from kavach.services.casework import CaseworkService
    from kavach.services.isp import IspService
    from kavach.services.placement import PlacementService
    from kavach.services.stats import StatsService
    from kavach.services.tips import TipService
    from kavach.services.units import UnitService
    from kavach.storage.case_repository import SqlCaseRepository
    from kavach.storage.casework_repository import SqlCaseworkRepository
    from kavach.storage.package_queries import SqlPackageQueries
    from kavach.storage.snapshots import SqlDatabase
    from kavach.storage.stats_queries import SqlStatsQueries
    from kavach.storage.tip_repository import SqlTipRepository
    from kavach.storage.unit_repository import SqlUnitRepository
    from kavach.tips.formats import default_tip_formats

    tip_store = SqlTipRepository(w.engine)
    casework_store = SqlCaseworkRepository(w.engine)
    units = UnitService(SqlUnitRepository(w.engine), w.audit)
    placement = PlacementService(tip_store, units, w.settings.geoip_db, w.audit)
    tips = TipService(
        tip_store,
        default_tip_formats(),
        w.hashsets,
        w.index_root,
        w.audit,
        placement.place,
    )
    return Casework(
        units=units,
        tips=tips,
        placement=placement,
        isp=IspService(
            tip_store, w.audit, placement.place, tips.rescore, w.settings.geoip_asn_db
        ),
        casework=CaseworkService(
            casework_store,
            SqlCaseRepository(w.engine, casework_store),
            w.audit,
            units.ensure_loaded,
            partial(tip_store.events, True),
        ),
        stats=StatsService(
            SqlStatsQueries(w.engine), SqlPackageQueries(w.engine), w.audit
        ),
        backups=BackupService(
            SqlDatabase(w.engine, w.settings.database_url), w.index_root, w.audit
        ),
    )
