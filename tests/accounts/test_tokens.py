"""API tokens: shown once, kept as a hash, scoped, revocable, expiring."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from kavach.access.roles import token_scopes
from kavach.bootstrap import Kavach
from kavach.errors import InputError, NotFoundError
from kavach.services.accounts import AccountService
from kavach.storage.account_tables import api_token
from tests.helpers.accounts import PASSWORD, Clock, audit_text


@pytest.fixture
def anil(accounts: AccountService) -> str:
    accounts.add_user("anil.k", "investigator", PASSWORD, "Kazhakkoottam", None, "a")
    return "anil.k"


def test_a_token_acts_as_its_user_with_its_scopes(
    app: Kavach, accounts: AccountService, clock: Clock, anil: str
) -> None:
    token_id, secret = accounts.issue_token(anil, "station export", [], None, "admin")
    assert secret.startswith("kvt_") and len(secret) > 40
    who = accounts.token_principal(secret)
    assert who is not None
    assert (who.name, who.via, who.station, who.scopes) == (
        "anil.k",
        "token",
        "Kazhakkoottam",
        frozenset({"read"}),
    )
    assert who.can("read") and not who.can("write")
    with app.engine.connect() as connection:
        row = connection.execute(select(api_token)).one()
    assert row.token_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in " ".join(str(v) for v in row)
    (listed,) = accounts.list_tokens("admin")
    assert (listed.id, listed.user, listed.name, listed.scopes) == (
        token_id,
        "anil.k",
        "station export",
        ("read",),
    )
    assert listed.last_used_at == clock()
    assert secret not in audit_text(app)
    issued = next(e for e in app.audit.entries() if e.action == "token.issue")
    assert issued.detail == {
        "user": "anil.k",
        "name": "station export",
        "scopes": ["read"],
        "expires_at": None,
    }


def test_write_includes_read_and_unknown_scopes_are_refused() -> None:
    assert token_scopes(["write"]) == ("read", "write")
    assert token_scopes([]) == ("read",)
    assert token_scopes(["read", "read"]) == ("read",)
    with pytest.raises(InputError, match="unknown scope 'admin'"):
        token_scopes(["admin"])


def test_a_revoked_token_stops_at_once(
    app: Kavach, accounts: AccountService, anil: str
) -> None:
    token_id, secret = accounts.issue_token(anil, "ci", ["write"], None, "admin")
    assert accounts.token_principal(secret) is not None
    accounts.revoke_token(token_id, "admin")
    assert accounts.token_principal(secret) is None
    assert accounts.list_tokens("admin")[0].revoked_at is not None
    with pytest.raises(InputError, match="revoked already"):
        accounts.revoke_token(token_id, "admin")
    with pytest.raises(NotFoundError):
        accounts.revoke_token(999, "admin")
    revoked = [e for e in app.audit.entries() if e.action == "token.revoke"]
    assert [(e.target, e.detail) for e in revoked] == [
        (f"token {token_id}", {"user": "anil.k", "name": "ci"})
    ]


def test_a_token_expires_after_its_days(
    accounts: AccountService, clock: Clock, anil: str
) -> None:
    _, secret = accounts.issue_token(anil, "ci", ["read"], 7, "admin")
    clock.advance(days=6, hours=23)
    assert accounts.token_principal(secret) is not None
    clock.advance(hours=1)
    assert accounts.token_principal(secret) is None
    with pytest.raises(InputError, match="1 to 3650 days"):
        accounts.issue_token(anil, "ci", ["read"], 0, "admin")


def test_a_disabled_user_s_tokens_stop(accounts: AccountService, anil: str) -> None:
    _, secret = accounts.issue_token(anil, "ci", ["read"], None, "admin")
    accounts.disable_user(anil, "admin")
    assert accounts.token_principal(secret) is None
    accounts.enable_user(anil, "admin")
    assert accounts.token_principal(secret) is not None


def test_unknown_and_oversized_secrets_find_no_one(
    accounts: AccountService, anil: str
) -> None:
    accounts.issue_token(anil, "ci", ["read"], None, "admin")
    assert accounts.token_principal("kvt_not-a-token") is None
    assert accounts.token_principal("kvt_" + "x" * 10_000) is None
    with pytest.raises(InputError, match="token's name"):
        accounts.issue_token(anil, "  ", ["read"], None, "admin")
    with pytest.raises(NotFoundError):
        accounts.issue_token("nobody", "ci", ["read"], None, "admin")
