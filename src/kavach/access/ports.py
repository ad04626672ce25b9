"""What the account service needs from storage (implemented in ``kavach.storage``).

Secrets never reach storage in clear: passwords arrive hashed, session and API
tokens as their SHA-256. The one exception is a TOTP secret, which the server must
read back to check a code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from kavach.access.lockout import LoginState
from kavach.access.records import NewUser, SessionRecord, TokenInfo, UserRecord
from kavach.access.roles import UserRole


class AccountRepository(Protocol):
    def station(self, name: str) -> tuple[int, str]:
        """A police station by name (or "name, police district"): its id and name.

        Raises ``NotFoundError`` for none, ``InputError`` for a name in several
        police districts.
        """
        ...

    def add_user(self, new: NewUser) -> int:
        """Store a new account; a name already taken is an ``InputError``."""
        ...

    def user(self, name: str) -> UserRecord | None: ...

    def user_by_id(self, user_id: int) -> UserRecord | None: ...

    def users(self) -> list[UserRecord]:
        """Every account, by name."""
        ...

    def set_password(
        self, user_id: int, password_hash: str, changed_at: datetime | None
    ) -> None:
        """A new hash; ``changed_at`` None keeps the date (a rehash at login)."""
        ...

    def set_login_state(self, user_id: int, state: LoginState) -> None: ...

    def set_disabled(self, user_id: int, disabled: bool) -> None: ...

    def set_assignment(
        self, user_id: int, role: UserRole, station_id: int | None, lab: str | None
    ) -> None: ...

    def set_totp(self, user_id: int, secret: str | None) -> None:
        """Set or clear the TOTP secret (forgetting the last step used)."""
        ...

    def set_totp_step(self, user_id: int, step: int) -> None:
        """The time step of the code last accepted, so it is not accepted again."""
        ...

    def add_session(
        self,
        user_id: int,
        token_sha256: str,
        csrf_token: str,
        created_at: datetime,
        expires_at: datetime,
        source: str,
    ) -> int: ...

    def session(self, token_sha256: str) -> SessionRecord | None: ...

    def touch_session(self, session_id: int, at: datetime) -> None: ...

    def close_session(self, session_id: int, at: datetime) -> None: ...

    def close_sessions(self, user_id: int, at: datetime) -> int:
        """Close every open session of a user; how many were open."""
        ...

    def add_token(
        self,
        user_id: int,
        name: str,
        token_sha256: str,
        scopes: Sequence[str],
        created_at: datetime,
        created_by: str,
        expires_at: datetime | None,
    ) -> int: ...

    def token(self, token_sha256: str) -> TokenInfo | None: ...

    def token_by_id(self, token_id: int) -> TokenInfo | None: ...

    def touch_token(self, token_id: int, at: datetime) -> None: ...

    def revoke_token(self, token_id: int, at: datetime) -> None: ...

    def tokens(self) -> list[TokenInfo]:
        """Every API token, newest first."""
        ...
