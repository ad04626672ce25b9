"""The password policy names the rule a password breaks; hashes are Argon2id."""

from __future__ import annotations

import pytest

from kavach.access.passwords import (
    PasswordHasher,
    check_password,
    common_passwords,
    password_problem,
)
from kavach.errors import InputError


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short1!", "too short: at least 12 characters"),
        ("elevenchars", "too short"),
        ("x" * 1025, "too long"),
        ("aaaaaaaaaaaaaaa", "at least 3 different characters"),
        ("abababababab", "at least 3 different characters"),
        ("Anil.K-at-the-station", "must not contain the user name"),
        ("ANIL.Kerala2024", "must not contain the user name"),
        ("123456789012", "most common passwords"),
        ("Password@2024", "most common passwords"),
        ("!!iloveyou123", "most common passwords"),
        ("KeralaPolice123", "most common passwords"),
        ("qwertyuiop123", "most common passwords"),
    ],
)
def test_a_weak_password_is_refused_naming_the_rule(password: str, rule: str) -> None:
    problem = password_problem(password, "anil.k")
    assert problem is not None and rule in problem
    with pytest.raises(InputError, match=rule):
        check_password(password, "anil.k")


@pytest.mark.parametrize(
    "password",
    [
        "monsoon ferry 1947 Vizhinjam",
        "correct horse battery staple",
        "tq8#Lm2@vZ9!",  # exactly 12
        "കായൽ വള്ളം തുഴയുന്നു",  # Malayalam is as good as any script
        "password is not the whole of it",  # a common word inside a phrase
    ],
)
def test_a_good_password_passes(password: str) -> None:
    assert password_problem(password, "anil.k") is None
    check_password(password, "anil.k")


def test_the_common_list_is_packaged_and_lower_case() -> None:
    common = common_passwords()
    assert len(common) > 150
    assert "password" in common and "keralapolice" in common
    assert all(word == word.casefold() and not word.startswith("#") for word in common)


def test_hashes_are_argon2id_with_the_chosen_cost() -> None:
    hasher = PasswordHasher()
    digest = hasher.hash("monsoon ferry 1947 Vizhinjam")
    assert digest.startswith("$argon2id$v=19$m=65536,t=3,p=2$")
    assert "monsoon" not in digest
    assert hasher.verify(digest, "monsoon ferry 1947 Vizhinjam")
    assert not hasher.verify(digest, "monsoon ferry 1947 vizhinjam")
    assert not hasher.verify("not a hash", "anything")
    assert not hasher.needs_rehash(digest)


def test_a_hash_made_cheaper_needs_rehashing() -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    digest = cheap.hash("monsoon ferry 1947 Vizhinjam")
    assert PasswordHasher().needs_rehash(digest)
    assert PasswordHasher().verify(digest, "monsoon ferry 1947 Vizhinjam")
