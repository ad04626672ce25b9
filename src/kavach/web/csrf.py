"""CSRF tokens for forms: the session's own token once signed in; before that (the
login form) a random value in a cookie, echoed by the form, signed with the
server's secret so a forged cookie does not pass."""

from __future__ import annotations

import hashlib
import hmac
import secrets

PRE_SESSION_COOKIE = "kavach_csrf"


def new_pre_session(secret: str) -> tuple[str, str]:
    """(cookie value, form value) for a visitor not yet signed in."""
    nonce = secrets.token_urlsafe(24)
    return nonce, sign(secret, nonce)


def sign(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def pre_session_ok(secret: str, cookie: str | None, form: str | None) -> bool:
    if not cookie or not form:
        return False
    return hmac.compare_digest(sign(secret, cookie), form)


def session_ok(expected: str | None, form: str | None) -> bool:
    return bool(expected and form and hmac.compare_digest(expected, form))
