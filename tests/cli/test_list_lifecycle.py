"""Lists can be retired, removed, or left out of one scan; each step audited."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import Env, run_kavach


def _setup(env: Env, tmp_path: Path) -> Path:
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    (exhibit / "a.txt").write_text("listed\n")
    sha256 = json.loads(run_kavach(env, "hash", exhibit / "a.txt").stdout)["sha256"]
    for name in ("alpha", "beta"):
        listing = tmp_path / f"{name}.txt"
        listing.write_text(f"{sha256}  a.txt\n")
        run_kavach(env, "hashset", "import", listing)
    return exhibit


def _hit_lists(env: Env, scan_id: str) -> list[str]:
    hits = json.loads(
        run_kavach(env, "hits", "--scan", scan_id, "--format", "json").stdout
    )
    return sorted(h["hashset"] for h in hits)


def test_lists_chosen_excluded_retired_and_removed(env: Env, tmp_path: Path) -> None:
    exhibit = _setup(env, tmp_path)
    both = run_kavach(env, "scan", exhibit).stdout.split()[2]
    assert _hit_lists(env, both) == ["alpha", "beta"]
    only = run_kavach(env, "scan", exhibit, "--lists", "beta").stdout.split()[2]
    assert _hit_lists(env, only) == ["beta"]
    less = run_kavach(env, "scan", exhibit, "--exclude-lists", "beta").stdout.split()[2]
    assert _hit_lists(env, less) == ["alpha"]
    typo = run_kavach(env, "scan", exhibit, "--lists", "gamma", check=False)
    assert typo.returncode == 2 and "no usable list named 'gamma'" in typo.stderr

    run_kavach(env, "hashset", "retire", "alpha")
    assert "retired" in run_kavach(env, "hashset", "list").stdout
    after = run_kavach(env, "scan", exhibit).stdout.split()[2]
    assert _hit_lists(env, after) == ["beta"]
    assert _hit_lists(env, both) == ["alpha", "beta"]  # history keeps its hits
    again = run_kavach(env, "hashset", "import", tmp_path / "alpha.txt", check=False)
    assert again.returncode == 2 and "retired" in again.stderr

    refused = run_kavach(env, "hashset", "remove", "beta", check=False)
    assert refused.returncode == 2 and "used by 3 scan run(s)" in refused.stderr
    removed = run_kavach(env, "hashset", "remove", "beta", "--force")
    assert "1 version(s), 1 entries, 3 hits of 3 scan run(s)" in removed.stdout
    assert _hit_lists(env, both) == ["alpha"]
    assert "beta" not in run_kavach(env, "hashset", "list").stdout
    indexes = list((env.data_dir / "indexes").iterdir())
    assert len(indexes) == 1  # alpha's; beta's folder is gone
    actions = [
        e["action"]
        for e in json.loads(run_kavach(env, "audit", "list", "--format", "json").stdout)
    ]
    assert actions.count("hashset.retire") == 1 and actions.count("hashset.remove") == 1
    missing = run_kavach(env, "hashset", "remove", "beta", check=False)
    assert missing.returncode == 4
