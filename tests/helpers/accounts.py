"""Accounts in tests: a clock the test moves, and what the audit log says."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from kavach.bootstrap import Kavach

# 10:00 IST on a working day.
START = datetime(2026, 12, 2, 4, 30, tzinfo=UTC)
PASSWORD = "monsoon ferry 1947 Vizhinjam"


class Clock:
    """Now, as the test says it is."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def audit_text(app: Kavach) -> str:
    """Every audit entry's actor, target and detail, to search for secrets."""
    return "\n".join(
        f"{e.actor} {e.action} {e.target} {json.dumps(e.detail)}"
        for e in app.audit.entries()
    )


def logins(app: Kavach) -> list[dict[str, object]]:
    """The ``login`` entries: the name tried and the detail."""
    return [
        {"actor": e.actor, "target": e.target, **e.detail}
        for e in app.audit.entries()
        if e.action == "login"
    ]
