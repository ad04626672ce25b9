"""Settings read from the environment (``KAVACH_*``); nothing is read at import time."""

from __future__ import annotations

import getpass
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kavach.errors import ConfigError
from kavach.vocabulary import DEFAULT_PDQ_MIN_QUALITY


class Settings(BaseSettings):
    """Where Kavach keeps its data and how it scans by default."""

    model_config = SettingsConfigDict(env_prefix="KAVACH_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///kavach.db",
        description="SQLAlchemy URL; SQLite file by default, PostgreSQL for teams.",
    )
    data_dir: Path | None = Field(
        default=None,
        description="Index files and other data; default: beside the SQLite file.",
    )
    user: str | None = Field(
        default=None, description="Who acts, for provenance and audit; default: login."
    )
    workers: int = Field(
        default=0, ge=0, le=1024, description="Scan worker processes; 0 = one a core."
    )
    pdq_threshold: int = Field(
        default=31,
        ge=0,
        le=255,
        description="PDQ distance at or below which a picture matches (per list: "
        "hashset import --pdq-threshold).",
    )
    pdq_min_quality: int = Field(
        default=DEFAULT_PDQ_MIN_QUALITY,
        ge=0,
        le=100,
        description="PDQ quality floor: pictures, video frames and vPDQ list "
        "frames below it are not matched.",
    )
    pdq_fast_margin: int = Field(
        default=16,
        ge=0,
        description="Bits the fast path widens its candidate search by; must exceed "
        "the drift between reduced and full-size hashes (bench/pdq_speed.py).",
    )
    archive_max_depth: int = Field(
        default=8, ge=0, description="Archives inside archives opened this deep."
    )
    archive_max_member_bytes: int = Field(
        default=8 * 1024**3,
        ge=1,
        description="A member expanding past this many bytes is a bomb.",
    )
    archive_max_ratio: float = Field(
        default=250.0,
        gt=1,
        description="A member or archive expanding past this ratio is a bomb.",
    )
    archive_ratio_floor_bytes: int = Field(
        default=16 * 1024**2,
        description="Ratios are only judged once a member expands past this size.",
    )
    archive_max_members: int = Field(
        default=1_000_000,
        ge=1,
        description="Members, all nested levels together, read from one archive.",
    )
    archive_max_seconds: float = Field(
        default=900.0,
        gt=0,
        description="Seconds spent reading one archive and all nested in it.",
    )
    debug: bool = Field(
        default=False,
        description="Show the traceback of an unexpected failure, not one line.",
    )
    geoip_db: Path | None = Field(
        default=None,
        description="A GeoIP2 / GeoLite2 City .mmdb the unit supplies, to place tips "
        "no ISP reply places.",
    )
    geoip_asn_db: Path | None = Field(
        default=None,
        description="A GeoLite2 ASN .mmdb, to name the ISP of an IP address in "
        "ISP requests.",
    )
    evidence_root: Path | None = Field(
        default=None,
        description="The lab's evidence store: scans started from the web read "
        "paths under this folder only (none set: the web starts no scan).",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="The web server's secret (32 characters or more): `kavach serve` "
        "refuses to start without one.",
    )
    agency: str = Field(
        default="Kerala Police",
        description="The unit's name as partners know it (the Agency column of "
        "ICSE exports).",
    )
    backup_passphrase: SecretStr | None = Field(
        default=None,
        description="The passphrase `kavach backup --passphrase` and `kavach restore "
        "--passphrase` use without asking (for cron); never logged.",
    )
    batch_files: int = Field(
        default=256, ge=1, le=100_000, description="Files per write batch."
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="A browser session ends after this many minutes with no request "
        "(idle timeout).",
    )
    session_hours: int = Field(
        default=12,
        ge=1,
        le=24 * 7,
        description="A browser session ends this many hours after its login, "
        "however busy.",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        """``postgres://`` (as Heroku and libpq write it) is PostgreSQL too."""
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        if not url.startswith(("sqlite:", "postgresql:", "postgresql+")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return url

    def actor(self) -> str:
        """The name recorded as having done something."""
        if self.user:
            return self.user
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"

    def resolved_data_dir(self) -> Path:
        """The data folder: explicit, or ``<db stem>-data`` beside a SQLite file."""
        if self.data_dir is not None:
            return self.data_dir.resolve()
        url = self.database_url
        if url.startswith("sqlite:///"):
            db_path = Path(url.removeprefix("sqlite:///"))
            if str(db_path) in ("", ":memory:"):
                raise ConfigError("an in-memory database needs KAVACH_DATA_DIR")
            db_path = db_path.resolve()
            return db_path.with_name(db_path.stem + "-data")
        raise ConfigError(
            "KAVACH_DATA_DIR must be set when the database is not a SQLite file"
        )


def load_settings() -> Settings:
    """The ``KAVACH_*`` settings; a malformed one is a ``ConfigError`` naming it."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = "KAVACH_" + "_".join(str(part) for part in error["loc"]).upper()
            value = error.get("input")
            problems.append(f"{name}={value!r}: {error['msg'].lower()}")
        raise ConfigError("; ".join(problems)) from None
