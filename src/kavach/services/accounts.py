"""Local accounts: who may log in, how, and for how long (docs/access.md).

Every change and every login attempt is audited; no password, session token, API
token or TOTP secret ever reaches the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from kavach.access import totp
from kavach.access.lockout import after_failure, after_success, locked_message
from kavach.access.passwords import PasswordHasher, check_password
from kavach.access.ports import AccountRepository
from kavach.access.principal import Principal
from kavach.access.records import (
    NewSession,
    NewUser,
    TokenInfo,
    UserInfo,
    UserRecord,
    user_name,
)
from kavach.access.roles import (
    ALL_SCOPES,
    UserRole,
    check_assignment,
    parse_role,
    token_scopes,
)
from kavach.audit.ports import AuditLog
from kavach.errors import (
    AuthenticationError,
    CodeRequiredError,
    InputError,
    NotFoundError,
)

WRONG = "wrong user name or password"
WRONG_CODE = "wrong or expired code from the authenticator app"
TOKEN_PREFIX = "kvt_"  # lets secret scanners and people tell a Kavach token
MAX_TOKEN_DAYS = 3650


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


# "Seen" / "last used" is written at most this often: a write (and a commit) on
# every request cost a page a commit, measured by bench/web_load.py; idle timeouts
# of minutes lose nothing to a minute's granularity.
_TOUCH_EVERY = timedelta(minutes=1)


class AccountService:
    def __init__(
        self,
        repository: AccountRepository,
        ensure_units: Callable[[str], object],
        audit: AuditLog,
        clock: Callable[[], datetime] = _utc_now,
        *,
        session_idle: timedelta = timedelta(minutes=30),
        session_lifetime: timedelta = timedelta(hours=12),
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._repository = repository
        # Stations are looked up by name, so the unit directory must be loaded.
        self._ensure_units = ensure_units
        self._audit = audit
        self._clock = clock
        self._idle = session_idle
        self._lifetime = session_lifetime
        self._hasher = hasher or PasswordHasher()

    # ---- accounts ----

    def add_user(
        self,
        name: str,
        role: UserRole | str,
        password: str,
        station: str | None,
        lab: str | None,
        actor: str,
    ) -> UserInfo:
        """A new account; an investigator needs a station, only an examiner a lab."""
        name = user_name(name)
        role = parse_role(role)
        check_password(password, name)
        station_id: int | None = None
        if station:
            self._ensure_units(actor)
            station_id, station = self._repository.station(station)
        lab = check_assignment(role, station_id is not None, lab)
        now = self._clock()
        self._repository.add_user(
            NewUser(
                name, role, self._hasher.hash(password), station_id, lab, now, actor
            )
        )
        self._audit.record(
            actor,
            "user.add",
            name,
            {"role": role.value, "station": station or None, "lab": lab},
        )
        return self._user(name).info(now)

    def set_password(self, name: str, password: str, actor: str) -> None:
        """A new password; the user's sessions close and a lock is lifted."""
        user = self._user(name)
        check_password(password, user.name)
        now = self._clock()
        self._repository.set_password(user.id, self._hasher.hash(password), now)
        self._repository.set_login_state(user.id, after_success())
        closed = self._repository.close_sessions(user.id, now)
        self._audit.record(
            actor, "user.password", user.name, {"sessions_closed": closed}
        )

    def disable_user(self, name: str, actor: str) -> None:
        """The user can no longer log in; their sessions close, their API tokens
        stop working (kept, for the record)."""
        user = self._user(name)
        if user.role is UserRole.ADMINISTRATOR:
            self._keep_an_administrator(user.id)
        self._repository.set_disabled(user.id, True)
        closed = self._repository.close_sessions(user.id, self._clock())
        self._audit.record(
            actor, "user.disable", user.name, {"sessions_closed": closed}
        )

    def enable_user(self, name: str, actor: str) -> None:
        user = self._user(name)
        self._repository.set_disabled(user.id, False)
        self._audit.record(actor, "user.enable", user.name, {})

    def assign(
        self,
        name: str,
        role: UserRole | str,
        station: str | None,
        lab: str | None,
        actor: str,
    ) -> UserInfo:
        """A new role, station or lab for an account, in force at the user's next
        request; the unit keeps at least one active administrator."""
        user = self._user(name)
        role = parse_role(role)
        station_id: int | None = None
        if station:
            self._ensure_units(actor)
            station_id, station = self._repository.station(station)
        lab = check_assignment(role, station_id is not None, lab)
        if user.role is UserRole.ADMINISTRATOR and role is not UserRole.ADMINISTRATOR:
            self._keep_an_administrator(user.id)
        self._repository.set_assignment(user.id, role, station_id, lab)
        self._audit.record(
            actor,
            "user.assign",
            user.name,
            {
                "role": role.value,
                "was": user.role.value,
                "station": station or None,
                "lab": lab,
            },
        )
        return self._user(name).info(self._clock())

    def _keep_an_administrator(self, leaving: int) -> None:
        others = [
            u
            for u in self._repository.users()
            if u.role is UserRole.ADMINISTRATOR and not u.disabled and u.id != leaving
        ]
        if not others:
            raise InputError(
                "that is the last active administrator: make another one first"
            )

    def list_users(self, actor: str) -> list[UserInfo]:
        now = self._clock()
        users = [u.info(now) for u in self._repository.users()]
        self._audit.record(actor, "user.list", "users", {"users": len(users)})
        return users

    def _user(self, name: str) -> UserRecord:
        user = self._repository.user(user_name(name))
        if user is None:
            raise NotFoundError(f"no user {name!r} (see kavach users list)")
        return user

    # ---- logins ----

    def authenticate(
        self, name: str, password: str, totp_code: str | None, source: str
    ) -> Principal:
        """The user ``name`` proven by ``password`` (and a code when they have TOTP).

        An unknown name, a wrong password and a disabled account all give one
        message; five failures in 15 minutes lock the account for 15 minutes.
        """
        tried = name.strip().lower()[:100]
        user = self._find(tried)
        now = self._clock()
        if user is None:
            self._hasher.waste_time(password)
            self._refuse(tried, source, "unknown user", WRONG)
        if user.login.locked_until is not None and user.login.locked(now):
            message = locked_message(user.login.locked_until)
            self._refuse(tried, source, "locked", message)
        if not self._hasher.verify(user.password_hash, password):
            self._fail(user, now, source, "wrong password", WRONG)
        if user.disabled:
            self._refuse(tried, source, "disabled", WRONG)
        if user.totp_secret is not None:
            self._check_code(user, user.totp_secret, totp_code, now, source)
        if user.login.failed_logins or user.login.locked_until:
            self._repository.set_login_state(user.id, after_success())
        rehashed = self._hasher.needs_rehash(user.password_hash)
        if rehashed:
            self._repository.set_password(user.id, self._hasher.hash(password), None)
        reason = "password and code" if user.totp_secret else "password"
        self._login_entry(user.name, True, source, reason, {"rehashed": rehashed})
        return user.principal("session", ALL_SCOPES)

    def _find(self, tried: str) -> UserRecord | None:
        try:
            return self._repository.user(user_name(tried))
        except InputError:  # not even a possible name
            return None

    def _check_code(
        self,
        user: UserRecord,
        secret: str,
        code: str | None,
        now: datetime,
        source: str,
    ) -> None:
        if not code or not code.strip():
            self._refuse(
                user.name,
                source,
                "code needed",
                "a code from the authenticator app is needed",
                CodeRequiredError,
            )
        step = totp.matching_step(secret, code, now, user.totp_last_step)
        if step is None:
            self._fail(user, now, source, "wrong code", WRONG_CODE)
        self._repository.set_totp_step(user.id, step)

    def _fail(
        self, user: UserRecord, now: datetime, source: str, reason: str, message: str
    ) -> NoReturn:
        """Count a failure (locking at the fifth) and refuse."""
        state = after_failure(user.login, now)
        self._repository.set_login_state(user.id, state)
        if state.locked_until is not None:
            message = locked_message(state.locked_until)
        self._refuse(user.name, source, reason, message, failures=state.failed_logins)

    def _refuse(
        self,
        tried: str,
        source: str,
        reason: str,
        message: str,
        error: type[AuthenticationError] = AuthenticationError,
        **detail: Any,
    ) -> NoReturn:
        self._login_entry(tried, False, source, reason, detail)
        raise error(message)

    def _login_entry(
        self, tried: str, ok: bool, source: str, reason: str, extra: dict[str, Any]
    ) -> None:
        # A failed attempt proves no one: its actor is "anonymous", the name tried
        # its target.
        detail = {"ok": ok, "source": source[:100], "reason": reason, **extra}
        self._audit.record(tried if ok else "anonymous", "login", tried, detail)

    # ---- browser sessions ----

    def open_session(self, principal: Principal, source: str) -> NewSession:
        """A session for a user just authenticated: it ends after ``session_idle``
        without a request, and ``session_lifetime`` after it began whatever."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = self._clock()
        expires = now + self._lifetime
        self._repository.add_session(
            principal.user_id, _digest(token), csrf, now, expires, source
        )
        self._audit.record(
            principal.name,
            "session.open",
            principal.name,
            {"source": source[:100], "expires_at": expires.isoformat()},
        )
        return NewSession(token, csrf, expires)

    def session_principal(self, token: str) -> tuple[Principal, str] | None:
        """Who holds session ``token``, and the session's CSRF token; None when it
        is unknown, closed, idle too long, past its lifetime or its user disabled.
        A session found good counts as seen now."""
        session = self._repository.session(_digest(token))
        now = self._clock()
        if (
            session is None
            or session.closed_at is not None
            or now >= session.expires_at
            or now - session.last_seen_at >= self._idle
        ):
            return None
        user = self._repository.user_by_id(session.user_id)
        if user is None or user.disabled:
            return None
        if now - session.last_seen_at >= _TOUCH_EVERY:
            self._repository.touch_session(session.id, now)
        return user.principal("session", ALL_SCOPES), session.csrf_token

    def close_session(self, token: str) -> None:
        """Log out: the session ends (an unknown or closed one is left alone)."""
        session = self._repository.session(_digest(token))
        if session is None or session.closed_at is not None:
            return
        self._repository.close_session(session.id, self._clock())
        user = self._repository.user_by_id(session.user_id)
        name = user.name if user else str(session.user_id)
        self._audit.record(name, "logout", name, {"source": session.source})

    # ---- API tokens ----

    def issue_token(
        self,
        user: str,
        token_name: str,
        scopes: Sequence[str],
        expires_days: int | None,
        actor: str,
    ) -> tuple[int, str]:
        """A new API token for ``user``: its id, and its secret (shown once,
        kept nowhere). ``write`` includes ``read``; no scope means ``read``."""
        account = self._user(user)
        label = token_name.strip()
        if not 1 <= len(label) <= 100:
            raise InputError("a token's name: 1 to 100 characters")
        chosen = token_scopes(scopes)
        if expires_days is not None and not 1 <= expires_days <= MAX_TOKEN_DAYS:
            raise InputError(f"a token expires after 1 to {MAX_TOKEN_DAYS} days")
        now = self._clock()
        expires = None if expires_days is None else now + timedelta(days=expires_days)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token_id = self._repository.add_token(
            account.id, label, _digest(secret), chosen, now, actor, expires
        )
        self._audit.record(
            actor,
            "token.issue",
            f"token {token_id}",
            {
                "user": account.name,
                "name": label,
                "scopes": list(chosen),
                "expires_at": expires.isoformat() if expires else None,
            },
        )
        return token_id, secret

    def token_principal(self, secret: str) -> Principal | None:
        """Who the API token ``secret`` stands for, with its scopes; None when it
        is unknown, revoked, expired or its user disabled. Counts as used now."""
        if len(secret) > 200:
            return None
        token = self._repository.token(_digest(secret))
        now = self._clock()
        if (
            token is None
            or token.revoked_at is not None
            or (token.expires_at is not None and now >= token.expires_at)
        ):
            return None
        user = self._repository.user_by_id(token.user_id)
        if user is None or user.disabled:
            return None
        if token.last_used_at is None or now - token.last_used_at >= _TOUCH_EVERY:
            self._repository.touch_token(token.id, now)
        return user.principal("token", frozenset(token.scopes))

    def revoke_token(self, token_id: int, actor: str) -> TokenInfo:
        token = self._repository.token_by_id(token_id)
        if token is None:
            raise NotFoundError(f"no API token {token_id} (see kavach users tokens)")
        if token.revoked_at is not None:
            raise InputError(f"API token {token_id} was revoked already")
        self._repository.revoke_token(token_id, self._clock())
        self._audit.record(
            actor,
            "token.revoke",
            f"token {token_id}",
            {"user": token.user, "name": token.name},
        )
        return token

    def list_tokens(self, actor: str) -> list[TokenInfo]:
        tokens = self._repository.tokens()
        self._audit.record(actor, "token.list", "tokens", {"tokens": len(tokens)})
        return tokens

    # ---- TOTP ----

    def enable_totp(self, name: str, actor: str) -> str:
        """A new TOTP secret for ``name`` (replacing any earlier one, as for a lost
        phone): from now on a login needs a code. Returns the ``otpauth://`` URI to
        show the user once, for their authenticator app."""
        user = self._user(name)
        secret = totp.new_secret()
        self._repository.set_totp(user.id, secret)
        self._audit.record(
            actor,
            "user.totp_enable",
            user.name,
            {"replaced": user.totp_secret is not None},
        )
        return totp.provisioning_uri(secret, user.name)

    def disable_totp(self, name: str, actor: str) -> None:
        user = self._user(name)
        if user.totp_secret is None:
            raise InputError(f"user {user.name!r} has no authenticator app set up")
        self._repository.set_totp(user.id, None)
        self._audit.record(actor, "user.totp_disable", user.name, {})
