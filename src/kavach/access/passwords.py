"""The password policy, and hashing with Argon2id.

The policy follows NIST SP 800-63B: length and a list of the most common passwords
count; composition rules ("one capital, one digit") do not, as they make passwords
harder to remember and no harder to guess.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

from kavach.errors import InputError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte "password" on every try is a denial of service
MIN_DISTINCT = 3
_AFFIXES = string.digits + string.punctuation + " "


def password_problem(password: str, user_name: str) -> str | None:
    """The rule ``password`` breaks for user ``user_name``, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"the password is too short: at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password is too long: at most {MAX_LENGTH} characters"
    if len(set(password)) < MIN_DISTINCT:
        return f"the password needs at least {MIN_DISTINCT} different characters"
    lowered = password.casefold()
    if len(user_name) >= 3 and user_name.casefold() in lowered:
        return "the password must not contain the user name"
    stripped = lowered.strip(_AFFIXES)
    common = common_passwords()
    if lowered in common or (stripped and stripped in common):
        return "the password is one of the most common passwords (or built on one)"
    return None


def check_password(password: str, user_name: str) -> None:
    """Refuse a password the policy does not allow, naming the rule it breaks."""
    problem = password_problem(password, user_name)
    if problem is not None:
        raise InputError(problem)


@cache
def common_passwords() -> frozenset[str]:
    """The packaged list (``data/common_passwords.txt``), lower case."""
    text = resources.files("kavach.access").joinpath("data/common_passwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold()
        for line in lines
        if line.strip() and not line.startswith("#")
    )


class PasswordHasher:
    """Argon2id (RFC 9106) with 64 MiB, three passes, two lanes: about a tenth of
    a second a login on a server core, and costly to guess at on a GPU."""

    def __init__(
        self, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 2
    ) -> None:
        self._argon2 = _Argon2(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            type=Type.ID,
        )
        self._nothing: str | None = None

    def hash(self, password: str) -> str:
        """A PHC string (``$argon2id$v=19$m=65536,t=3,p=2$salt$hash``)."""
        return self._argon2.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` is the one hashed; a malformed hash is a no."""
        try:
            return self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """The hash was made with other parameters than these: hash again at login."""
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def waste_time(self, password: str) -> None:
        """Verify against a hash of nothing, so an unknown user name takes as long
        to refuse as a wrong password does."""
        if self._nothing is None:
            self._nothing = self.hash("no account has this password")
        self.verify(self._nothing, password)
