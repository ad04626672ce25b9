"""Two seized phones filed: a WhatsApp group on both links their owners, and a
chat's record of a listed file, the file gone, is a hit on the exhibit."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from tests.helpers import messaging_dbs
from tests.helpers.cli import Env, run_kavach

LISTED = hashlib.sha256(b"a listed picture, never on this phone").hexdigest()
HOLIDAY = hashlib.sha256(b"a holiday picture").hexdigest()
ANIL, BINU = "919847011111", "919847022222"
MEMBERS = ["919847000009", ANIL, BINU]
GROUP = "919847000009-1700000000@g.us"


def _person(env: Env, name: str, phone: str) -> int:
    added = run_kavach(env, "person", "add", name, "--phone", f"+{phone}").stdout
    return int(added.split()[1])


def _seize(env: Env, label: str, owner: int) -> None:
    run_kavach(env, "seizure", "add", label, "--type", "phone", "--owner", str(owner))


def _profiles(env: Env) -> list[dict[str, Any]]:
    listed = run_kavach(env, "directory", "list", "--all", "--format", "json").stdout
    rows: list[dict[str, Any]] = json.loads(listed)
    return rows


def test_a_group_on_two_phones_links_their_owners(
    sqlite_env: Env, tmp_path: Path
) -> None:
    listing = tmp_path / "unit.sha256"
    listing.write_text(f"{LISTED}  series-a/0001.jpg\n")
    run_kavach(sqlite_env, "hashset", "import", listing)
    anil = _person(sqlite_env, "Anil Kumar", ANIL)
    binu = _person(sqlite_env, "Binu Joseph", BINU)
    _seize(sqlite_env, "PH-1", anil)
    _seize(sqlite_env, "PH-2", binu)
    # Anil's phone (Android) received the listed picture in the group; the file is
    # gone from the phone, only the chat database remembers its hash.
    first = tmp_path / "ph1"
    messaging_dbs.whatsapp_android(first, ANIL, MEMBERS, LISTED, "Share zone")
    second = tmp_path / "ph2"
    messaging_dbs.whatsapp_ios(second, BINU, MEMBERS, HOLIDAY, "Share zone")
    filed = run_kavach(sqlite_env, "phone", "apps", first, "--device", "PH-1").stdout
    assert "known file, once present" in filed and "filed on PH-1" in filed
    run_kavach(sqlite_env, "phone", "apps", second, "--device", "PH-2")
    run_kavach(sqlite_env, "directory", "resolve")
    rows = _profiles(sqlite_env)
    by_record = {k: r for r in rows for k in r["records"]}
    anil_row, binu_row = by_record[f"person:{anil}"], by_record[f"person:{binu}"]
    # each owner's WhatsApp account joined the man the phone was seized from
    assert any(k.startswith("owner:") for k in anil_row["records"])
    assert any(k.startswith("owner:") for k in binu_row["records"])
    # the same group (its WhatsApp id) read from both phones
    assert (
        anil_row["groups"] == binu_row["groups"] == [f"Share zone (whatsapp {GROUP})"]
    )
    assert anil_row["person"] != binu_row["person"]
    # Binu's number in Anil's address book joins Binu; a number nobody holds is
    # a person of its own, known only by the name it was saved under
    assert any(k.startswith("contact:") for k in binu_row["records"])
    (unknown,) = [r for r in rows if r["names"] == ["Contact 0009"]]
    assert all(k.startswith("contact:") for k in unknown["records"])
    # a third phone read later saves the same unknown number: the same man
    cyril = _person(sqlite_env, "Cyril T", "919847033333")
    _seize(sqlite_env, "PH-3", cyril)
    third = tmp_path / "ph3"
    messaging_dbs.whatsapp_android(
        third, "919847033333", MEMBERS, HOLIDAY, "Share zone"
    )
    run_kavach(sqlite_env, "phone", "apps", third, "--device", "PH-3")
    assert run_kavach(sqlite_env, "directory", "resolve").stdout.startswith("incr")
    (again,) = [r for r in _profiles(sqlite_env) if r["names"] == ["Contact 0009"]]
    assert again["person"] == unknown["person"]
    assert len(again["records"]) == len(unknown["records"]) + 1
    shown = run_kavach(sqlite_env, "directory", "show", str(anil_row["person"])).stdout
    assert "known files once present" in shown and "group Share zone" in shown
    audit = run_kavach(sqlite_env, "audit", "list", "--format", "json").stdout
    assert "messaging.file" in audit
    missing = run_kavach(
        sqlite_env, "phone", "apps", first, "--device", "PH-9", check=False
    )
    assert missing.returncode != 0 and "no seized device 'PH-9'" in missing.stderr
