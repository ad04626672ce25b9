"""What a tip holds, whatever form it arrived in (NCMEC JSON, provider XML, a sheet).

Formats fill these values; the import service stores them. Identifiers arrive
already normalised (``kavach.tips.identifiers``), times already zone-aware
(``kavach.tips.times``), so nothing downstream parses a string twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class IdentifierKind(StrEnum):
    """What an identifier is. Screen names and ESP user ids live on a service."""

    PHONE = "phone"  # E.164, "+919847012345"
    EMAIL = "email"  # lower case, domain in IDNA ("xn--...")
    SCREEN_NAME = "screen_name"  # with its service
    ESP_USER_ID = "esp_user_id"  # with its service
    DEVICE_ID = "device_id"  # "IMEI:356938035643809", "ANDROID_ID:...", ...


# Kinds that only mean something together with the service they belong to.
SERVICE_KINDS = frozenset({IdentifierKind.SCREEN_NAME, IdentifierKind.ESP_USER_ID})


@dataclass(frozen=True, slots=True)
class Identifier:
    """A normalised identifier of a reported person; equal values are the same."""

    kind: IdentifierKind
    value: str
    service: str | None = None  # lower case; only for SERVICE_KINDS

    def key(self) -> str:
        """One string that equal identifiers share (``kind|service|value``)."""
        return f"{self.kind.value}|{self.service or ''}|{self.value}"

    def display(self) -> str:
        return f"{self.value} ({self.service})" if self.service else self.value


@dataclass(frozen=True, slots=True)
class IpEvent:
    """An IP capture: an event at a time, never an identity by itself."""

    address: str  # normalised (ipaddress' compressed form)
    at: datetime | None  # zone-aware
    port: int | None = None
    event: str | None = None  # Login, Registration, Upload, ...
    person: int | None = None  # index into ParsedTip.persons, None = the report's


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file a provider reported: its names, hash and the provider's view of it."""

    name: str | None = None
    original_name: str | None = None
    hash_value: str | None = None  # lower-case hex
    hash_type: str | None = None  # md5, sha1, sha256 (guessed from length if unsaid)
    viewed_by_esp: bool | None = None
    classification: str | None = None  # industry classification A1, A2, B1, B2
    annotations: tuple[str, ...] = ()  # possibleSelfProduction, generativeAi, ...


@dataclass(frozen=True, slots=True)
class Location:
    """Where a provider estimates the user was."""

    city: str | None = None
    region: str | None = None
    country_code: str | None = None


@dataclass(slots=True)
class ReportedPerson:
    """A person or account the report is about (never the reporter)."""

    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    date_of_birth: str | None = None  # ISO date
    age: int | None = None
    addresses: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    convicted_sex_offender: bool | None = None
    access_to_children: bool | None = None

    def name(self) -> str | None:
        parts = [p for p in (self.first_name, self.last_name) if p]
        return " ".join(parts) or self.display_name


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file beside a report (a PDF): recorded by path and digest, never opened."""

    path: str
    sha256: str
    size: int


@dataclass(slots=True)
class ParsedTip:
    """One report. ``where`` names the file and record, for every later message."""

    source: str  # "NCMEC", or the --source given
    report_id: str
    where: str
    received_at: datetime | None = None
    esp: str | None = None
    incident_type: str | None = None
    incident_at: datetime | None = None
    summary: str | None = None
    persons: list[ReportedPerson] = field(default_factory=list)
    ip_events: list[IpEvent] = field(default_factory=list)
    files: list[FileRef] = field(default_factory=list)
    high_priority: bool = False
    # Report annotations: sextortion, csamSolicitation, minorToMinorInteraction, ...
    annotations: list[str] = field(default_factory=list)
    prior_reports: list[str] = field(default_factory=list)
    group_identifier: str | None = None
    location: Location | None = None
    attachments: list[Attachment] = field(default_factory=list)

    def identifiers(self) -> list[Identifier]:
        """Every reported person's identifiers, each once, in order."""
        seen: dict[str, Identifier] = {}
        for person in self.persons:
            for identifier in person.identifiers:
                seen.setdefault(identifier.key(), identifier)
        return list(seen.values())


@dataclass(frozen=True, slots=True)
class Rejected:
    """A report ``--skip-invalid`` left out, and why."""

    where: str
    reason: str
