"""The roles a local account has, and the scopes an API token carries."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from kavach.errors import InputError


class UserRole(StrEnum):
    """What a user's role lets them see (docs/access.md has the whole table)."""

    ADMINISTRATOR = "administrator"  # accounts and settings, and everything else
    SUPERVISOR = "supervisor"  # the whole unit; approves operations
    ANALYST = "analyst"  # the whole unit; tips, targets, statistics
    EXAMINER = "examiner"  # exhibits of their lab
    INVESTIGATOR = "investigator"  # records of their own station
    VIEWER = "viewer"  # statistics only


# The roles that see every station's and lab's records.
WHOLE_UNIT = frozenset({UserRole.ADMINISTRATOR, UserRole.SUPERVISOR, UserRole.ANALYST})


class Scope(StrEnum):
    """What an API token may do; a browser session may do both."""

    READ = "read"
    WRITE = "write"


ALL_SCOPES = frozenset(Scope)


def parse_role(role: UserRole | str) -> UserRole:
    try:
        return UserRole(role)
    except ValueError:
        known = ", ".join(r.value for r in UserRole)
        raise InputError(f"unknown role {role!r}: one of {known}") from None


def check_assignment(role: UserRole, has_station: bool, lab: str | None) -> str | None:
    """Refuse an account its role cannot work with; returns the lab, tidied.

    An investigator sees only their station's records, so without one they would
    see nothing; a lab means something only to an examiner.
    """
    if role is UserRole.INVESTIGATOR and not has_station:
        raise InputError(
            "an investigator needs a station (--station): they see the records "
            "of their own station"
        )
    lab = (lab or "").strip() or None
    if lab is not None and role is not UserRole.EXAMINER:
        raise InputError("only an examiner belongs to a lab (--lab)")
    if lab is not None and len(lab) > 200:
        raise InputError("a lab's name: at most 200 characters")
    return lab


def token_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """The scopes an API token gets: ``read`` when none is named, and ``write``
    always with ``read`` (a client that may change records may read them)."""
    chosen = {Scope.READ}
    named = list(scopes)
    if named:
        chosen = set()
    for scope in named:
        try:
            chosen.add(Scope(scope))
        except ValueError:
            raise InputError(f"unknown scope {scope!r}: read or write") from None
    if Scope.WRITE in chosen:
        chosen.add(Scope.READ)
    return tuple(sorted(s.value for s in chosen))
