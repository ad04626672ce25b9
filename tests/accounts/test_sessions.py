"""Browser sessions: kept as a hash, ended by idleness, age, logout or a change."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from kavach.access.principal import Principal
from kavach.bootstrap import Kavach
from kavach.services.accounts import AccountService
from kavach.storage.account_tables import user_session
from tests.helpers.accounts import PASSWORD, Clock, audit_text


@pytest.fixture
def maya(accounts: AccountService) -> Principal:
    accounts.add_user("maya", "analyst", PASSWORD, None, None, "admin")
    return accounts.authenticate("maya", PASSWORD, None, "10.0.0.7")


def test_a_session_is_kept_only_as_its_sha256(
    app: Kavach, accounts: AccountService, clock: Clock, maya: Principal
) -> None:
    new = accounts.open_session(maya, "10.0.0.7")
    assert new.expires_at == clock() + timedelta(hours=12)
    assert len(new.token) >= 43 and new.token != new.csrf_token
    with app.engine.connect() as connection:
        row = connection.execute(select(user_session)).one()
    assert row.token_sha256 == hashlib.sha256(new.token.encode()).hexdigest()
    assert new.token not in " ".join(str(v) for v in row)
    assert (row.source, row.csrf_token) == ("10.0.0.7", new.csrf_token)
    found = accounts.session_principal(new.token)
    assert found is not None
    who, csrf = found
    assert (who.name, who.via, who.whole_unit, csrf) == (
        "maya",
        "session",
        True,
        new.csrf_token,
    )
    assert accounts.session_principal(new.token + "x") is None
    assert new.token not in audit_text(app) and new.csrf_token not in audit_text(app)


def test_thirty_idle_minutes_end_a_session(
    accounts: AccountService, clock: Clock, maya: Principal
) -> None:
    token = accounts.open_session(maya, "x").token
    clock.advance(minutes=29)
    assert (
        accounts.session_principal(token) is not None
    )  # seen: the idle clock restarts
    clock.advance(minutes=29)
    assert accounts.session_principal(token) is not None
    clock.advance(minutes=30)
    assert accounts.session_principal(token) is None


def test_twelve_hours_end_a_session_however_busy(
    accounts: AccountService, clock: Clock, maya: Principal
) -> None:
    token = accounts.open_session(maya, "x").token
    for _ in range(12 * 3 - 1):
        clock.advance(minutes=20)
        assert accounts.session_principal(token) is not None
    clock.advance(minutes=20)  # 12 h after the login
    assert accounts.session_principal(token) is None


def test_logout_closes_and_is_audited(
    app: Kavach, accounts: AccountService, maya: Principal
) -> None:
    token = accounts.open_session(maya, "10.0.0.7").token
    accounts.close_session(token)
    assert accounts.session_principal(token) is None
    accounts.close_session(token)  # twice, or an unknown one: nothing happens
    accounts.close_session("no such token")
    entries = [(e.actor, e.action, e.detail) for e in app.audit.entries()]
    assert entries.count(("maya", "logout", {"source": "10.0.0.7"})) == 1
    assert ("maya", "session.open") in [(a, b) for a, b, _ in entries]


def test_a_new_password_or_disabling_ends_every_session(
    app: Kavach, accounts: AccountService, maya: Principal
) -> None:
    first = accounts.open_session(maya, "x").token
    second = accounts.open_session(maya, "y").token
    accounts.set_password("maya", "backwaters at dusk 2026", "admin")
    assert accounts.session_principal(first) is None
    assert accounts.session_principal(second) is None
    assert app.audit.entries()[-1].detail == {"sessions_closed": 2}
    third = accounts.open_session(maya, "x").token
    accounts.disable_user("maya", "admin")
    assert accounts.session_principal(third) is None
