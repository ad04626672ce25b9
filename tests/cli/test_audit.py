"""Every action of every command leaves an audit entry, and `kavach audit list`
shows them in order with a whole chain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import Env, run_kavach


def _audit(env: Env) -> list[dict[str, Any]]:
    entries = json.loads(run_kavach(env, "audit", "list", "--format", "json").stdout)
    assert isinstance(entries, list)
    return entries


def _actions(env: Env) -> list[str]:
    return [entry["action"] for entry in _audit(env)]


@pytest.mark.slow
def test_every_cli_action_is_audited(
    sqlite_env: Env, tmp_path: Path, testdata: Path
) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    image = shutil.copy(testdata / "dfvfs" / "iso9660.raw", evidence / "disc.raw")
    (evidence / "note.txt").write_text("listed bytes\n")
    listing = tmp_path / "unit.txt"
    digest = json.loads(run_kavach(sqlite_env, "hash", evidence / "note.txt").stdout)
    listing.write_text(f"{digest['sha256']}  note.txt\n")

    run_kavach(sqlite_env, "hashset", "import", listing)
    run_kavach(sqlite_env, "hashset", "import", listing)  # unchanged: still audited
    run_kavach(sqlite_env, "exhibit", "add", image, "--case", "FIR 1/2026")
    run_kavach(sqlite_env, "exhibit", "verify", image)
    scanned = run_kavach(sqlite_env, "scan", evidence, "--out", tmp_path / "out")
    scan_id = scanned.stdout.split()[2]
    run_kavach(sqlite_env, "scan", "--resume", scan_id[:32])
    hits = json.loads(run_kavach(sqlite_env, "hits", "--format", "json").stdout)
    run_kavach(
        sqlite_env,
        "hits",
        "review",
        str(hits[0]["hit_id"]),
        "--decision",
        "confirmed",
        "--note",
        "seen",
    )
    assert _actions(sqlite_env) == [
        "hashset.import",
        "hashset.import",
        "exhibit.add",
        "exhibit.verify",
        "scan.start",
        "exhibit.verify",  # the registered image, checked again after the scan
        "scan.complete",
        "scan.outputs",
        "scan.resume",
        "exhibit.verify",
        "scan.complete",
        "hits.export",
        "hit.review",
    ]
    entries = _audit(sqlite_env)
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    assert {e["actor"] for e in entries} == {"test-examiner"}
    assert set(entries[0]) == {"id", "at", "actor", "action", "target", "detail"}
    assert entries[1]["detail"]["unchanged"] is True
    assert entries[4]["target"] == scan_id and entries[4]["detail"]["lists"] == ["unit"]
    assert entries[12]["detail"] == {
        "scan": scan_id,
        "decision": "confirmed",
        "note": "seen",
        "category": None,
        "age_band": None,
        "self_produced": None,
    }
    reviewed = json.loads(run_kavach(sqlite_env, "hits", "--format", "json").stdout)
    assert reviewed[0]["review"] == "confirmed"
    table = run_kavach(sqlite_env, "audit", "list").stdout
    assert "hit.review" in table and "scan.start" in table


def test_demo_is_audited_like_any_other_run(tmp_path: Path) -> None:
    workdir = tmp_path / "demo"
    demo_env = Env(f"sqlite:///{workdir / 'kavach-demo.db'}", workdir / "kavach-data")
    run_kavach(demo_env, "demo", "--workdir", workdir)
    actions = _actions(demo_env)
    assert actions.count("hashset.import") == 4
    assert actions[4:7] == ["scan.start", "scan.complete", "scan.outputs"]
    # The casework part goes through the same services, so it is audited too.
    for action, count in (
        ("tips.import", 1),
        ("isp.import", 1),
        ("operation.create", 1),
        ("search.record", 600),
        ("device.seize", 392),
        # the operation's 339 and 41, and the recurring men's earlier two cases
        ("case.register", 341),
        ("arrest.add", 43),
        ("operation.packages", 1),
    ):
        assert actions.count(action) == count, action


def test_unknown_hit_cannot_be_reviewed(sqlite_env: Env) -> None:
    result = run_kavach(
        sqlite_env, "hits", "review", "999", "--decision", "rejected", check=False
    )
    assert result.returncode == 4 and "no hit 999" in result.stderr
    assert _actions(sqlite_env) == []
