"""Five failures within 15 minutes lock an account for 15 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kavach.access.lockout import (
    LoginState,
    after_failure,
    after_success,
    locked_message,
)

T0 = datetime(2026, 12, 2, 4, 30, tzinfo=UTC)  # 10:00 IST


def _fail(
    times: int, start: datetime = T0, every: timedelta = timedelta(minutes=1)
) -> LoginState:
    state = LoginState()
    for n in range(times):
        state = after_failure(state, start + n * every)
    return state


def test_the_fifth_failure_within_the_window_locks() -> None:
    four = _fail(4)
    assert four.failed_logins == 4 and four.locked_until is None
    five = after_failure(four, T0 + timedelta(minutes=4))
    assert five.locked_until == T0 + timedelta(minutes=19)
    assert five.locked(T0 + timedelta(minutes=18, seconds=59))
    assert not five.locked(T0 + timedelta(minutes=19))


def test_failures_spread_out_never_lock() -> None:
    state = _fail(20, every=timedelta(minutes=4))  # a count restarts each 15 min
    assert state.locked_until is None
    assert state.failed_logins <= 4


def test_a_failure_after_the_lock_ran_out_starts_counting_again() -> None:
    locked = _fail(5)
    later = T0 + timedelta(minutes=30)
    again = after_failure(locked, later)
    assert again == LoginState(1, later, None)


def test_success_forgets_failures() -> None:
    assert after_success() == LoginState()


def test_the_message_gives_the_time_in_ist() -> None:
    until = datetime(2026, 12, 2, 4, 49, tzinfo=UTC)
    assert locked_message(until) == (
        "account locked until 10:19 IST after 5 failed logins"
    )
