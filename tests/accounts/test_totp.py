"""With an authenticator app set up, a login needs a current code, used once."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from kavach.bootstrap import Kavach
from kavach.errors import AuthenticationError, CodeRequiredError, InputError
from kavach.services.accounts import AccountService
from tests.helpers.accounts import PASSWORD, Clock, audit_text, logins


def _secret(uri: str) -> str:
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parsed.path == "/Kavach:ravi"
    return parse_qs(parsed.query)["secret"][0]


@pytest.fixture
def secret(accounts: AccountService) -> str:
    accounts.add_user("ravi", "examiner", PASSWORD, None, "FSL", "admin")
    return _secret(accounts.enable_totp("ravi", "admin"))


def test_a_code_is_required_and_checked(
    app: Kavach, accounts: AccountService, clock: Clock, secret: str
) -> None:
    with pytest.raises(CodeRequiredError, match="code from the authenticator app"):
        accounts.authenticate("ravi", PASSWORD, None, "x")
    with pytest.raises(AuthenticationError, match="wrong or expired code"):
        accounts.authenticate("ravi", PASSWORD, "000000", "x")
    code = pyotp.TOTP(secret).at(clock())
    who = accounts.authenticate("ravi", PASSWORD, code, "x")
    assert who.lab == "FSL"
    # The same code is not accepted twice, even within its 30 seconds.
    with pytest.raises(AuthenticationError, match="wrong or expired code"):
        accounts.authenticate("ravi", PASSWORD, code, "x")
    # A wrong password with a good code is still a wrong password.
    clock.advance(seconds=30)
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        accounts.authenticate(
            "ravi", "not it at all 123", pyotp.TOTP(secret).at(clock()), "x"
        )
    reasons = [e["reason"] for e in logins(app)]
    assert reasons == [
        "code needed",
        "wrong code",
        "password and code",
        "wrong code",
        "wrong password",
    ]
    assert secret not in audit_text(app) and code not in audit_text(app)


def test_a_code_from_the_step_before_or_after_is_accepted(
    accounts: AccountService, clock: Clock, secret: str
) -> None:
    totp = pyotp.TOTP(secret)
    early = totp.at(clock(), counter_offset=-1)
    accounts.authenticate("ravi", PASSWORD, early, "x")
    clock.advance(minutes=5)
    late = totp.at(clock(), counter_offset=1)
    accounts.authenticate("ravi", PASSWORD, f"{late[:3]} {late[3:]}", "x")
    clock.advance(minutes=5)
    with pytest.raises(AuthenticationError):
        accounts.authenticate("ravi", PASSWORD, totp.at(clock(), counter_offset=2), "x")


def test_wrong_codes_count_towards_the_lockout(
    accounts: AccountService, secret: str, clock: Clock
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationError, match="wrong or expired code"):
            accounts.authenticate("ravi", PASSWORD, "123456", "x")
    with pytest.raises(AuthenticationError, match="account locked until"):
        accounts.authenticate("ravi", PASSWORD, "123456", "x")
    with pytest.raises(AuthenticationError, match="account locked until"):
        accounts.authenticate("ravi", PASSWORD, pyotp.TOTP(secret).at(clock()), "x")


def test_a_new_secret_replaces_the_old_and_off_removes_it(
    app: Kavach, accounts: AccountService, clock: Clock, secret: str
) -> None:
    newer = _secret(accounts.enable_totp("ravi", "admin"))
    assert newer != secret
    with pytest.raises(AuthenticationError):
        accounts.authenticate("ravi", PASSWORD, pyotp.TOTP(secret).at(clock()), "x")
    accounts.disable_totp("ravi", "admin")
    accounts.authenticate("ravi", PASSWORD, None, "x")
    with pytest.raises(InputError, match="no authenticator app"):
        accounts.disable_totp("ravi", "admin")
    entries = [(e.action, e.detail) for e in app.audit.entries()]
    assert ("user.totp_enable", {"replaced": True}) in entries
    assert ("user.totp_disable", {}) in entries
    assert newer not in audit_text(app)
