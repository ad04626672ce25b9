"""``kavach watch`` from the command line: pin, import, read the alert, end."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.casework import person, report, write_reports
from tests.helpers.cli import Env, run_kavach


def test_a_pinned_number_in_a_new_tip_is_an_alert(
    sqlite_env: Env, tmp_path: Path
) -> None:
    added = run_kavach(
        sqlite_env, "watch", "add", "--phone", "09847012345", "--station", "Aluva East"
    )
    assert added.stdout.strip() == "watch 1 added"
    listed = run_kavach(sqlite_env, "watch", "list").stdout
    assert "+919847012345" in listed and "Aluva East" in listed
    tips = write_reports(
        tmp_path / "t.json", [report("W-1", [person(phone="+91 98470 12345")])]
    )
    imported = run_kavach(sqlite_env, "tips", "import", tips)
    assert "watchlist: 1 new alerts" in imported.stderr
    (alert,) = json.loads(
        run_kavach(sqlite_env, "watch", "alerts", "--format", "json").stdout
    )
    assert alert["matched"] == "phone||+919847012345"
    assert alert["station"] == "Aluva East" and alert["reference"].endswith("W-1")
    run_kavach(sqlite_env, "watch", "alerts", "--mark-seen")
    unseen = run_kavach(sqlite_env, "watch", "alerts", "--unseen", "--format", "json")
    assert json.loads(unseen.stdout) == []
    run_kavach(sqlite_env, "watch", "end", "1")
    assert "+919847012345" not in run_kavach(sqlite_env, "watch", "list").stdout
    twice = run_kavach(sqlite_env, "watch", "end", "1", check=False)
    assert twice.returncode != 0 and "no open watch 1" in twice.stderr
    both = run_kavach(
        sqlite_env, "watch", "add", "--phone", "1", "--email", "a@b.in", check=False
    )
    assert both.returncode == 2 and "exactly one of" in both.stderr
