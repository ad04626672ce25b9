"""Who may do what: each role's permissions, and the records each role may see.

A route names one permission; this table says which roles hold it. What a holder
then *sees* is narrowed by ``Visibility``: an investigator's own station, an examiner's
lab, the whole unit for supervisors and analysts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kavach.access.principal import Principal
from kavach.access.roles import UserRole


class Permission(StrEnum):
    TIPS_READ = "tips.read"
    TARGETS_READ = "targets.read"
    CASES_READ = "cases.read"
    PERSONS_READ = "persons.read"
    PERSONS_WRITE = "persons.write"  # directory decisions: merge, never link, split
    EXHIBITS_READ = "exhibits.read"
    HITS_READ = "hits.read"
    AUDIT_READ = "audit.read"
    STATS_READ = "stats.read"
    HITS_REVIEW = "hits.review"
    TIPS_WRITE = "tips.write"  # import tip files, route tips
    FIELD_WRITE = "field.write"  # record searches, seizures and custody steps
    CASES_WRITE = "cases.write"  # FIRs, arrests, outcomes; closing referrals
    LISTS_READ = "lists.read"
    LISTS_WRITE = "lists.write"  # import hash lists
    SCANS_RUN = "scans.run"  # start and resume scans
    JOBS_READ = "jobs.read"  # follow the background jobs one started
    USERS_ADMIN = "users.admin"


_P = Permission
_CASEWORK = {_P.TIPS_READ, _P.TARGETS_READ, _P.CASES_READ, _P.STATS_READ}
_LAB = {_P.EXHIBITS_READ, _P.HITS_READ, _P.STATS_READ, _P.LISTS_READ}
# Deciding on a hit is the examiner's (and their supervisor's), not the analyst's;
# so are the lists matched and the scans run.
_REVIEW = {_P.HITS_REVIEW, _P.LISTS_WRITE, _P.SCANS_RUN, _P.JOBS_READ}
# Station officers record what happens in the field; the lab records custody too.
_FIELD = {_P.FIELD_WRITE}

ROLE_PERMISSIONS: dict[UserRole, frozenset[Permission]] = {
    UserRole.ADMINISTRATOR: frozenset(Permission),
    UserRole.SUPERVISOR: frozenset(set(Permission) - {_P.USERS_ADMIN}),
    UserRole.ANALYST: frozenset(
        _CASEWORK | _LAB | _FIELD | {_P.PERSONS_READ, _P.PERSONS_WRITE, _P.TIPS_WRITE}
    ),
    UserRole.EXAMINER: frozenset(_LAB | _REVIEW | _FIELD),
    # Persons are not listed for investigators: a person record reaches across
    # stations, and the need to know is the station's own cases.
    UserRole.INVESTIGATOR: frozenset(_CASEWORK | _FIELD | {_P.CASES_WRITE}),
    UserRole.VIEWER: frozenset({_P.STATS_READ}),
}


def allowed(principal: Principal, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[principal.role]


@dataclass(frozen=True, slots=True)
class Visibility:
    """The records a principal may see. ``station_id`` None: every station;
    ``exhibits_of`` None: every exhibit, else those received at ``lab`` or made by
    the named examiner."""

    station_id: int | None = None
    exhibits_of: str | None = None
    lab: str | None = None


def visibility_of(principal: Principal) -> Visibility:
    if principal.role is UserRole.INVESTIGATOR:
        # An investigator without a station sees nothing station-bound (-1 matches
        # no station): the account is refused without one, this is a second guard.
        return Visibility(station_id=principal.station_id or -1)
    if principal.role is UserRole.EXAMINER:
        return Visibility(exhibits_of=principal.name, lab=principal.lab)
    return Visibility()
