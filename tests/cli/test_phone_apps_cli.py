"""``kavach phone apps``: a chat's media record of a listed file, the file long gone."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from tests.helpers import messaging_dbs
from tests.helpers.cli import Env, run_kavach

LISTED = hashlib.sha256(b"a listed picture, never on this phone").hexdigest()
OTHER = hashlib.sha256(b"a holiday picture").hexdigest()
MEMBERS = ["919847000009", "919847000002", "919847000003"]


def test_a_deleted_listed_file_is_known_once_present(
    sqlite_env: Env, tmp_path: Path
) -> None:
    listing = tmp_path / "unit.sha256"
    listing.write_text(f"{LISTED}  series-a/0001.jpg\n")
    run_kavach(sqlite_env, "hashset", "import", listing)
    phone = tmp_path / "extraction"
    messaging_dbs.whatsapp_android(phone, "919847000001", MEMBERS, LISTED, "Share zone")
    messaging_dbs.whatsapp_ios(phone, "919847000002", MEMBERS, OTHER, "Share zone")
    marker = phone / "data" / "misc" / "bootstat" / "factory_reset"
    marker.parent.mkdir(parents=True)
    marker.write_bytes(b"")
    os.utime(marker, (1_717_000_000, 1_717_000_000))
    table = run_kavach(sqlite_env, "phone", "apps", phone).stdout
    assert "device reset on 2024-05-29 16:26:40" in table
    assert "known file, once present" in table and LISTED in table
    assert "Share zone" in table and OTHER not in table
    done = json.loads(
        run_kavach(sqlite_env, "phone", "apps", phone, "--format", "json").stdout
    )
    (known,) = done["known_media"]
    assert known["media"]["sender"] == "919847000009@s.whatsapp.net"
    assert known["media"]["at"] == "2023-11-14T22:15:00+00:00"
    assert known["lists"][0]["list"] == "unit"
    groups = {g["identifier"] for a in done["apps"] for g in a["groups"]}
    assert groups == {"919847000009-1700000000@g.us"}  # one group on both phones
    assert not any("hello" in json.dumps(a) for a in done["apps"])  # never text
    audit = run_kavach(sqlite_env, "audit", "list", "--format", "json").stdout
    assert "messaging.read" in audit


def test_not_a_folder_is_refused(sqlite_env: Env, tmp_path: Path) -> None:
    result = run_kavach(sqlite_env, "phone", "apps", tmp_path / "missing", check=False)
    assert result.returncode == 2 and "not a folder" in result.stderr
