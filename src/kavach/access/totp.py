"""Time-based one-time codes (RFC 6238) as authenticator apps make them."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

ISSUER = "Kavach"
DRIFT_STEPS = 1  # a code from the 30 s before or after is accepted too


def new_secret() -> str:
    """A random base-32 secret (160 bits) for a user's authenticator app."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, user_name: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (usually as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user_name, issuer_name=ISSUER)


def matching_step(
    secret: str, code: str, now: datetime, last_step: int | None
) -> int | None:
    """The time step ``code`` is valid for at ``now`` (±1 step), or None.

    A step at or before ``last_step``, the one last accepted, is refused: a code
    seen over someone's shoulder cannot be used again (RFC 6238 section 5.2).
    """
    code = code.replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        step = current + offset
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
