"""Logins: one answer for every wrong guess, lockout, rehashing, and the audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from kavach.access.passwords import PasswordHasher
from kavach.bootstrap import Kavach
from kavach.errors import AuthenticationError
from kavach.services.accounts import AccountService
from kavach.storage.account_repository import SqlAccountRepository
from kavach.storage.account_tables import user_account
from tests.helpers.accounts import PASSWORD, Clock, audit_text, logins

WRONG = "wrong user name or password"


@pytest.fixture
def maya(accounts: AccountService) -> str:
    accounts.add_user("maya", "analyst", PASSWORD, None, None, "admin")
    return "maya"


def test_a_good_login_gives_the_principal(
    app: Kavach, accounts: AccountService
) -> None:
    accounts.add_user("anil.k", "investigator", PASSWORD, "Kazhakkoottam", None, "a")
    who = accounts.authenticate(" Anil.K ", PASSWORD, None, "10.0.0.7")
    assert (who.name, who.role.value, who.station, who.via) == (
        "anil.k",
        "investigator",
        "Kazhakkoottam",
        "session",
    )
    assert who.station_id is not None and not who.whole_unit and not who.is_admin
    assert who.can("write") and who.can("read")
    assert logins(app)[-1] == {
        "actor": "anil.k",
        "target": "anil.k",
        "ok": True,
        "source": "10.0.0.7",
        "reason": "password",
        "rehashed": False,
    }


def test_wrong_password_unknown_user_and_disabled_give_one_message(
    app: Kavach, accounts: AccountService, maya: str
) -> None:
    accounts.add_user("gone", "viewer", PASSWORD, None, None, "admin")
    accounts.disable_user("gone", "admin")
    attempts = [
        ("maya", "not the password at all"),
        ("nobody", PASSWORD),
        ("gone", PASSWORD),  # the right password of a disabled account
        ("not a name!", PASSWORD),
    ]
    for name, password in attempts:
        with pytest.raises(AuthenticationError) as refused:
            accounts.authenticate(name, password, None, "10.0.0.9")
        assert str(refused.value) == WRONG
        assert refused.value.http_status == 401
    reasons = [(e["target"], e["reason"], e["ok"]) for e in logins(app)]
    assert reasons == [
        ("maya", "wrong password", False),
        ("nobody", "unknown user", False),
        ("gone", "disabled", False),
        ("not a name!", "unknown user", False),
    ]
    assert all(e["actor"] == "anonymous" for e in logins(app))
    text = audit_text(app)
    assert PASSWORD not in text and "not the password at all" not in text


def test_five_failures_lock_for_fifteen_minutes(
    app: Kavach, accounts: AccountService, clock: Clock, maya: str
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationError, match=WRONG):
            accounts.authenticate("maya", "a wrong guess again", None, "10.0.0.9")
        clock.advance(minutes=1)
    # The fifth, at 10:04 IST, locks until 10:19 IST.
    locked = "account locked until 10:19 IST after 5 failed logins"
    with pytest.raises(AuthenticationError, match=locked):
        accounts.authenticate("maya", "a wrong guess again", None, "10.0.0.9")
    clock.advance(minutes=14)
    with pytest.raises(AuthenticationError, match=locked):
        accounts.authenticate("maya", PASSWORD, None, "10.0.0.9")  # even the right one
    assert accounts.list_users("admin")[0].locked_until is not None
    clock.advance(minutes=1)
    assert accounts.authenticate("maya", PASSWORD, None, "10.0.0.9").name == "maya"
    assert accounts.list_users("admin")[0].locked_until is None
    reasons = [e["reason"] for e in logins(app)]
    assert reasons == ["wrong password"] * 5 + ["locked", "password"]
    assert [e.get("failures") for e in logins(app)][:5] == [1, 2, 3, 4, 5]
    with app.engine.connect() as connection:
        row = connection.execute(select(user_account)).one()
    assert (row.failed_logins, row.locked_until) == (0, None)


def test_failures_an_hour_apart_never_lock(
    accounts: AccountService, clock: Clock, maya: str
) -> None:
    for _ in range(8):
        with pytest.raises(AuthenticationError, match=WRONG):
            accounts.authenticate("maya", "a wrong guess again", None, "x")
        clock.advance(minutes=16)
    accounts.authenticate("maya", PASSWORD, None, "x")


def test_a_new_password_lifts_a_lock(
    accounts: AccountService, clock: Clock, maya: str
) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            accounts.authenticate("maya", "a wrong guess again", None, "x")
    accounts.set_password("maya", "backwaters at dusk 2026", "admin")
    accounts.authenticate("maya", "backwaters at dusk 2026", None, "x")


def test_an_old_hash_is_replaced_at_a_good_login(
    app: Kavach, accounts: AccountService, maya: str
) -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with app.engine.begin() as connection:
        connection.execute(update(user_account).values(password_hash=cheap))
    accounts.authenticate("maya", PASSWORD, None, "x")
    with app.engine.connect() as connection:
        stored = connection.execute(select(user_account.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=2$")
    assert logins(app)[-1]["rehashed"] is True
    repository = SqlAccountRepository(app.engine)
    user = repository.user("maya")
    assert user is not None and user.password_changed_at == user.created_at
