"""Who is asking: the user behind a session or an API token, as adapters see them."""

from __future__ import annotations

from dataclasses import dataclass

from kavach.access.roles import WHOLE_UNIT, Scope, UserRole


@dataclass(frozen=True)
class Principal:
    """A user proven by a password (and code), a session or an API token.

    Adapters decide what to show from ``role``, ``station_id`` and ``lab``; a
    token's ``scopes`` narrow what it may do below what the role allows.
    """

    user_id: int
    name: str
    role: UserRole
    station_id: int | None
    station: str | None
    lab: str | None
    via: str  # "session" | "token"
    scopes: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return self.role is UserRole.ADMINISTRATOR

    @property
    def whole_unit(self) -> bool:
        """Sees every station's and lab's records (administrator, supervisor,
        analyst); the others see their station, their lab, or statistics only."""
        return self.role in WHOLE_UNIT

    def can(self, scope: Scope | str) -> bool:
        """The session or token carries ``scope`` (write implies read)."""
        wanted = Scope(scope)
        return wanted in self.scopes or (
            wanted is Scope.READ and Scope.WRITE in self.scopes
        )
