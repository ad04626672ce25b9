"""When failed logins lock an account: pure rules over a user's login state.

Five failures within fifteen minutes lock the account for fifteen minutes. Nothing
here sleeps; slowing a guesser down between tries is the web layer's rate limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
IST = ZoneInfo("Asia/Kolkata")


@dataclass(frozen=True)
class LoginState:
    """Failures counted since ``first_failure_at``, and a lock if they reached five."""

    failed_logins: int = 0
    first_failure_at: datetime | None = None
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def after_failure(state: LoginState, now: datetime) -> LoginState:
    """The state after a wrong password or code at ``now``.

    A failure outside the window of the first (or after a lock ran out) starts the
    count again, so a user who mistypes now and then is never locked.
    """
    first = state.first_failure_at
    lapsed = state.locked_until is not None and now >= state.locked_until
    if first is None or now - first >= WINDOW or lapsed:
        count, first = 1, now
    else:
        count = state.failed_logins + 1
    return LoginState(count, first, now + LOCK if count >= MAX_FAILURES else None)


def after_success() -> LoginState:
    """A good login forgets earlier failures."""
    return LoginState()


def locked_message(until: datetime) -> str:
    return (
        f"account locked until {until.astimezone(IST):%H:%M} IST "
        f"after {MAX_FAILURES} failed logins"
    )
