"""``kavach users`` as an administrator runs it: passwords on standard input."""

from __future__ import annotations

import json

from tests.helpers.accounts import PASSWORD
from tests.helpers.cli import Env, run_kavach


def test_add_then_list_as_json(env: Env) -> None:
    added = run_kavach(
        env,
        "users",
        "add",
        "Anil.K",
        "--role",
        "investigator",
        "--station",
        "Kazhakkoottam",
        input=PASSWORD + "\n",
    )
    assert "user 'anil.k' added: investigator at Kazhakkoottam" in added.stdout
    run_kavach(
        env,
        "users",
        "add",
        "ravi",
        "--role",
        "examiner",
        "--lab",
        "FSL",
        input=PASSWORD,
    )
    listed = json.loads(run_kavach(env, "users", "list", "--format", "json").stdout)
    assert [(u["name"], u["role"], u["station"], u["lab"]) for u in listed] == [
        ("anil.k", "investigator", "Kazhakkoottam", None),
        ("ravi", "examiner", None, "FSL"),
    ]
    assert listed[0]["created_by"] == "test-examiner"
    assert not any("hash" in key or "secret" in key for key in listed[0])
    audit = run_kavach(env, "audit", "list", "--format", "json").stdout
    assert PASSWORD not in audit and "user.add" in audit


def test_refusals_exit_with_their_codes(env: Env) -> None:
    weak = run_kavach(
        env, "users", "add", "maya", "--role", "analyst", check=False, input="short\n"
    )
    assert weak.returncode == 2 and "too short: at least 12" in weak.stderr
    empty = run_kavach(
        env, "users", "add", "maya", "--role", "analyst", check=False, input=""
    )
    assert empty.returncode == 2 and "no password on standard input" in empty.stderr
    nowhere = run_kavach(
        env,
        "users",
        "add",
        "anil",
        "--role",
        "investigator",
        check=False,
        input=PASSWORD,
    )
    assert nowhere.returncode == 2 and "needs a station" in nowhere.stderr
    missing = run_kavach(env, "users", "disable", "nobody", check=False)
    assert missing.returncode == 4


def test_tokens_totp_password_and_disable(env: Env) -> None:
    run_kavach(env, "users", "add", "maya", "--role", "analyst", input=PASSWORD)
    issued = run_kavach(
        env,
        "users",
        "token",
        "maya",
        "--name",
        "nightly",
        "--scope",
        "write",
        "--days",
        "30",
    )
    secret = issued.stdout.strip()
    assert secret.startswith("kvt_") and "not shown again" in issued.stderr
    tokens = json.loads(run_kavach(env, "users", "tokens", "--format", "json").stdout)
    assert [(t["id"], t["user"], t["scopes"]) for t in tokens] == [
        (1, "maya", ["read", "write"])
    ]
    assert secret not in json.dumps(tokens)
    revoked = run_kavach(env, "users", "revoke-token", "1")
    assert "API token 1 ('nightly' of 'maya') revoked" in revoked.stdout
    uri = run_kavach(env, "users", "totp", "maya").stdout.strip()
    assert uri.startswith("otpauth://totp/Kavach:maya?secret=")
    run_kavach(env, "users", "totp", "maya", "--off")
    run_kavach(env, "users", "password", "maya", input="backwaters at dusk 2026\n")
    run_kavach(env, "users", "disable", "maya")
    listed = json.loads(run_kavach(env, "users", "list", "--format", "json").stdout)
    assert (listed[0]["disabled"], listed[0]["totp"]) == (True, False)
    audit = run_kavach(env, "audit", "list", "--format", "json").stdout
    for secret_text in (secret, uri.split("secret=")[1].split("&")[0], "backwaters"):
        assert secret_text not in audit


def test_assign_moves_an_officer_and_keeps_the_last_administrator(env: Env) -> None:
    run_kavach(env, "users", "add", "boss", "--role", "administrator", input=PASSWORD)
    run_kavach(
        env, "users", "add", "anil", "--role", "investigator",
        "--station", "Kazhakkoottam", input=PASSWORD,
    )  # fmt: skip
    moved = run_kavach(env, "users", "assign", "anil", "--role", "analyst")
    assert "user 'anil' is now analyst" in moved.stdout
    listed = json.loads(run_kavach(env, "users", "list", "--format", "json").stdout)
    assert ("anil", "analyst", None) in [
        (u["name"], u["role"], u["station"]) for u in listed
    ]
    refused = run_kavach(
        env, "users", "assign", "boss", "--role", "viewer", check=False
    )
    assert refused.returncode != 0 and "last active administrator" in refused.stderr
    audit = run_kavach(env, "audit", "list", "--format", "json").stdout
    assert "user.assign" in audit
