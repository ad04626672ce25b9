"""One demo account per role, so the demo's web application can be tried as each
of the people who use it. Passwords are random and printed once."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kavach.access.roles import UserRole
from kavach.services.records import RecordKind

if TYPE_CHECKING:
    from kavach.bootstrap import Services


@dataclass(frozen=True)
class DemoAccount:
    name: str
    role: UserRole
    password: str
    station: str | None


def add_demo_accounts(services: Services, who: str) -> list[DemoAccount]:
    """Accounts demo-administrator ... demo-viewer; the investigator belongs to
    the station the most demo tips were routed to, the examiner is the one who
    ran the demo's scan (so its exhibit is theirs)."""
    accounts = services.accounts
    made = [_add(services, UserRole.ADMINISTRATOR, None, who)]
    admin = accounts.authenticate(made[0].name, made[0].password, None, "demo")
    tips = services.records.page(RecordKind.TIPS, admin, limit=500, source="demo")
    stations = Counter(t["station"] for t in tips.items if t["station"])
    busiest = stations.most_common(1)[0][0] if stations else None
    for role in UserRole:
        if role is UserRole.ADMINISTRATOR:
            continue
        station = busiest if role is UserRole.INVESTIGATOR else None
        name = who if role is UserRole.EXAMINER else None
        made.append(_add(services, role, station, who, name))
    return made


def _add(
    services: Services,
    role: UserRole,
    station: str | None,
    who: str,
    name: str | None = None,
) -> DemoAccount:
    account = DemoAccount(
        name or f"demo-{role.value}", role, secrets.token_urlsafe(12), station
    )
    services.accounts.add_user(account.name, role, account.password, station, None, who)
    return account
