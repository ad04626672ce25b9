"""``kavach directory`` on the demo: its recurring men, and nobody else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers.cli import Env, run_kavach

# The demo's planted recurring men (demo/recurring.py) and the two it convicts.
PLANTED = {"Rajesh", "Suresh", "Manoj", "Anoop Thekkethil 0", "Biju Melethil 1"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Env:
    workdir = tmp_path_factory.mktemp("directory") / "demo"
    env = Env(f"sqlite:///{workdir / 'kavach-demo.db'}", workdir / "kavach-data")
    result = run_kavach(env, "demo", "--workdir", workdir)
    assert "5 recur (1 repeat offender)" in result.stdout
    return env


def _listed(env: Env, *extra: str) -> list[dict[str, Any]]:
    found = run_kavach(env, "directory", "list", "--format", "json", *extra)
    rows: list[dict[str, Any]] = json.loads(found.stdout)
    return rows


def _who(row: dict[str, Any]) -> str:
    names = [str(n).removesuffix(" (demo)") for n in row["names"]]
    return next(
        (p for p in PLANTED if any(n.startswith(p) or n.endswith(p) for n in names)),
        "?",
    )


def test_the_demo_directory_holds_its_recurring_men_and_nobody_else(demo: Env) -> None:
    rows = _listed(demo)
    assert sorted(_who(r) for r in rows) == sorted(PLANTED)
    rajesh = next(r for r in rows if _who(r) == "Rajesh")
    # four name forms in three records' scripts, two tips, two cases
    assert "കിഴക്കേടത്ത് രാജേഷ്" in rajesh["names"]
    assert rajesh["tips"] == 2 and rajesh["cases"] == 2
    assert "convicted in FIR No. 901 of 2019" in str(rajesh["repeat"])
    assert [_who(r) for r in rows if r["repeat"]] == ["Rajesh"]
    shown = run_kavach(demo, "directory", "show", str(rajesh["person"])).stdout
    assert "REPEAT" in shown and "+919847000002" in shown and "tip " in shown
    csv = run_kavach(demo, "directory", "list", "--format", "csv").stdout
    assert csv.splitlines()[0].startswith("person,names,episodes")
    assert len(csv.splitlines()) == 1 + len(PLANTED)


def test_never_holds_and_new_records_join_without_moving_ids(demo: Env) -> None:
    rows = _listed(demo)
    manoj = next(r for r in rows if _who(r) == "Manoj")
    first, second = manoj["records"]
    refused = run_kavach(demo, "directory", "never", first, second, check=False)
    assert refused.returncode != 0 and "--reason" in refused.stderr
    run_kavach(demo, "directory", "never", first, second, "--reason", "two men (demo)")
    run_kavach(demo, "directory", "resolve", "--full")
    assert "Manoj" not in {_who(r) for r in _listed(demo)}  # one case each now
    ids = {r["person"]: r["records"] for r in _listed(demo, "--all")}
    run_kavach(
        demo,
        "person",
        "add",
        "Suresh Padinjattil (demo)",
        "--phone",
        "+919847000003",
        "--address",
        "House 7, Demo Nagar, Karunagappally",
    )
    incremental = run_kavach(demo, "directory", "resolve").stdout
    assert incremental.startswith("incremental") and "(1 new)" in incremental
    after = {r["person"]: r["records"] for r in _listed(demo, "--all")}
    suresh = next(r for r in rows if _who(r) == "Suresh")["person"]
    joined = set(after[suresh]) - set(ids[suresh])
    assert len(joined) == 1 and joined.pop().startswith("person:")
    assert {p: r for p, r in after.items() if p != suresh} == {
        p: r for p, r in ids.items() if p != suresh
    }
    explained = run_kavach(demo, "directory", "explain", str(suresh)).stdout
    assert "linked:" in explained and "name:" in explained
