"""Accounts, sessions and API tokens as the service and storage pass them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from kavach.access.lockout import LoginState
from kavach.access.principal import Principal
from kavach.access.roles import UserRole
from kavach.errors import InputError

_NAME = re.compile(r"[a-z0-9._-]{3,100}")


def user_name(text: str) -> str:
    """A user name as kept: lower case, 3–100 letters, digits, ``.``, ``_``, ``-``.

    Names are compared in lower case so "Anil.K" and "anil.k" are one account.
    """
    name = text.strip().lower()
    if not _NAME.fullmatch(name):
        raise InputError(
            f"user name {text!r}: 3 to 100 letters, digits, '.', '_' or '-'"
        )
    return name


@dataclass(frozen=True)
class NewUser:
    name: str
    role: UserRole
    password_hash: str
    station_id: int | None
    lab: str | None
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class UserRecord:
    """A stored account, secrets included: it never leaves the service."""

    id: int
    name: str
    role: UserRole
    station_id: int | None
    station: str | None
    lab: str | None
    password_hash: str
    totp_secret: str | None
    totp_last_step: int | None
    login: LoginState
    disabled: bool
    created_at: datetime
    created_by: str
    password_changed_at: datetime

    def principal(self, via: str, scopes: frozenset[str]) -> Principal:
        """The user as a request made by session or token (``via``) sees them."""
        return Principal(
            user_id=self.id,
            name=self.name,
            role=self.role,
            station_id=self.station_id,
            station=self.station,
            lab=self.lab,
            via=via,
            scopes=frozenset(str(s) for s in scopes),
        )

    def info(self, now: datetime) -> UserInfo:
        """What may be shown of the account (a lock only while it holds)."""
        return UserInfo(
            name=self.name,
            role=self.role,
            station=self.station,
            lab=self.lab,
            disabled=self.disabled,
            totp=self.totp_secret is not None,
            locked_until=self.login.locked_until if self.login.locked(now) else None,
            created_at=self.created_at,
            created_by=self.created_by,
            password_changed_at=self.password_changed_at,
        )


@dataclass(frozen=True)
class UserInfo:
    """An account as adapters show it: no hash, no secret."""

    name: str
    role: UserRole
    station: str | None
    lab: str | None
    disabled: bool
    totp: bool
    locked_until: datetime | None
    created_at: datetime
    created_by: str
    password_changed_at: datetime


@dataclass(frozen=True)
class SessionRecord:
    id: int
    user_id: int
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    source: str
    closed_at: datetime | None


@dataclass(frozen=True)
class NewSession:
    """A session just opened: ``token`` goes in the cookie and is kept nowhere
    (the database holds its SHA-256); ``csrf_token`` goes in every form."""

    token: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenInfo:
    """An API token without its secret (shown once, when issued)."""

    id: int
    user_id: int
    user: str
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
