"""What a messaging app's databases say about people: accounts, contacts, groups, media.

Never message text: the readers take identifiers, names, group memberships and the
records of media files (with their hashes), which is what resolution and the
networks need. Text stays in the exhibit for the examiner's own tools.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# Core Data (iOS) counts seconds from 2001-01-01 UTC.
_COCOA_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Account:
    """An account on the app: the device owner's, a contact's, a group member's."""

    app: str
    identifier: str  # the app's own id: a JID, a Telegram user id
    phone: str | None = None  # digits with country code, no "+"
    name: str | None = None
    username: str | None = None


@dataclass(frozen=True)
class Member:
    account: Account
    admin: bool = False
    creator: bool = False
    active: bool = True


@dataclass(frozen=True)
class Group:
    app: str
    identifier: str
    name: str | None
    created: datetime | None
    creator: str | None  # the creator's identifier, where the app keeps it
    members: tuple[Member, ...]


@dataclass(frozen=True)
class MediaRecord:
    """A file sent or received, as the database remembers it (the file may be gone)."""

    app: str
    sha256: str | None  # lower-case hex
    size: int | None
    path: str | None
    mime_type: str | None
    at: datetime | None
    chat: str | None  # the chat's identifier
    chat_name: str | None
    sender: str | None  # the sender's identifier; None when sent by the owner
    from_owner: bool


@dataclass
class AppRecords:
    """Everything one reader took from one app's databases on one device."""

    app: str
    databases: list[str]
    owner: list[Account] = field(default_factory=list)
    contacts: list[Account] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    media: list[MediaRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def sha256_from_base64(value: str | bytes | None) -> str | None:
    """WhatsApp keeps a file's SHA-256 as 44 characters of Base64; None if not one."""
    if not value:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None


def from_unix_ms(value: int | float | None) -> datetime | None:
    if not value or value <= 0:
        return None
    return datetime.fromtimestamp(value / 1000, UTC)


def from_unix(value: int | float | None) -> datetime | None:
    if not value or value <= 0:
        return None
    return datetime.fromtimestamp(value, UTC)


def from_cocoa(value: int | float | None) -> datetime | None:
    if value is None:
        return None
    return _COCOA_EPOCH + timedelta(seconds=float(value))


def phone_of_jid(jid: str | None) -> str | None:
    """The number of a user JID (``919847012345@s.whatsapp.net``); None for others."""
    if not jid or "@" not in jid:
        return None
    user, server = jid.split("@", 1)
    user = user.split(":", 1)[0]  # a device JID: 9198...:12@s.whatsapp.net
    return user if server == "s.whatsapp.net" and user.isdigit() else None
