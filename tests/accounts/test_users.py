"""Adding and changing accounts: names, roles, stations, labs, stored hashes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kavach.access.roles import UserRole
from kavach.bootstrap import Kavach
from kavach.errors import InputError, NotFoundError
from kavach.services.accounts import AccountService
from kavach.storage.account_tables import user_account
from tests.helpers.accounts import PASSWORD, START, audit_text


def test_an_account_stores_an_argon2id_hash_never_the_password(
    app: Kavach, accounts: AccountService
) -> None:
    user = accounts.add_user(
        "Anil.K", "investigator", PASSWORD, "Kazhakkoottam", None, "admin"
    )
    assert (user.name, user.role, user.station) == (
        "anil.k",
        UserRole.INVESTIGATOR,
        "Kazhakkoottam",
    )
    assert user.created_at == START and user.created_by == "admin"
    with app.engine.connect() as connection:
        row = connection.execute(select(user_account)).one()
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in " ".join(str(v) for v in row)
    assert row.station_id is not None and row.failed_logins == 0
    assert PASSWORD not in audit_text(app)
    entry = app.audit.entries()[-1]
    assert (entry.actor, entry.action, entry.target) == ("admin", "user.add", "anil.k")
    assert entry.detail == {
        "role": "investigator",
        "station": "Kazhakkoottam",
        "lab": None,
    }


def test_an_investigator_without_a_station_is_refused(
    accounts: AccountService,
) -> None:
    with pytest.raises(InputError, match="investigator needs a station"):
        accounts.add_user("anil.k", "investigator", PASSWORD, None, None, "admin")
    assert accounts.list_users("admin") == []


def test_a_station_must_exist(accounts: AccountService) -> None:
    with pytest.raises(NotFoundError, match="no police station 'Atlantis'"):
        accounts.add_user("anil.k", "investigator", PASSWORD, "Atlantis", None, "a")


def test_only_an_examiner_has_a_lab(accounts: AccountService) -> None:
    ravi = accounts.add_user(
        "ravi", UserRole.EXAMINER, PASSWORD, None, " FSL Thiruvananthapuram ", "a"
    )
    assert ravi.lab == "FSL Thiruvananthapuram"
    with pytest.raises(InputError, match="only an examiner"):
        accounts.add_user("maya", "analyst", PASSWORD, None, "FSL", "a")


@pytest.mark.parametrize("name", ["ab", "anil k", "anil/k", "x" * 101, "അനിൽ"])
def test_user_names_are_letters_digits_dot_underscore_dash(
    accounts: AccountService, name: str
) -> None:
    with pytest.raises(InputError, match="3 to 100 letters"):
        accounts.add_user(name, "viewer", PASSWORD, None, None, "admin")


def test_a_name_is_taken_whatever_its_case(accounts: AccountService) -> None:
    accounts.add_user("maya", "analyst", PASSWORD, None, None, "admin")
    with pytest.raises(InputError, match="already exists"):
        accounts.add_user("MAYA", "viewer", PASSWORD, None, None, "admin")


def test_unknown_role_and_weak_password_are_refused(accounts: AccountService) -> None:
    with pytest.raises(InputError, match="unknown role 'sp'"):
        accounts.add_user("maya", "sp", PASSWORD, None, None, "admin")
    with pytest.raises(InputError, match="contain the user name"):
        accounts.add_user("maya", "analyst", "maya maya maya maya", None, None, "a")


def test_a_new_password_replaces_the_old_and_is_audited(
    app: Kavach, accounts: AccountService
) -> None:
    accounts.add_user("maya", "analyst", PASSWORD, None, None, "admin")
    accounts.set_password("Maya", "backwaters at dusk 2026", "admin")
    accounts.authenticate("maya", "backwaters at dusk 2026", None, "cli")
    with pytest.raises(InputError, match="too short"):
        accounts.set_password("maya", "short", "admin")
    with pytest.raises(NotFoundError):
        accounts.set_password("nobody", "backwaters at dusk 2026", "admin")
    text = audit_text(app)
    assert "user.password maya" in text
    assert "backwaters" not in text and PASSWORD not in text


def test_listing_shows_state_and_no_secret(
    app: Kavach, accounts: AccountService
) -> None:
    accounts.add_user("maya", "analyst", PASSWORD, None, None, "admin")
    accounts.add_user("ravi", "examiner", PASSWORD, None, "FSL", "admin")
    accounts.enable_totp("ravi", "admin")
    accounts.disable_user("maya", "admin")
    listed = {u.name: u for u in accounts.list_users("admin")}
    assert list(listed) == ["maya", "ravi"]
    assert listed["maya"].disabled and not listed["maya"].totp
    assert listed["ravi"].totp and listed["ravi"].lab == "FSL"
    assert not hasattr(listed["ravi"], "password_hash")
    accounts.enable_user("maya", "admin")
    assert not accounts.list_users("admin")[0].disabled
    actions = [e.action for e in app.audit.entries()]
    for action in ("user.totp_enable", "user.disable", "user.enable", "user.list"):
        assert action in actions
