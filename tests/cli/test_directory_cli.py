"""``kavach directory`` on the demo: its recurring men, and nobody else."""

from __future__ import annotations

import json
from pathlib import Path
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


def test_the_demo_network_shows_its_groups_as_communities(
    demo: Env, tmp_path: Path
) -> None:
    import networkx as nx  # type: ignore[import-untyped]

    files = {name: tmp_path / name for name in ("n.graphml", "e.csv", "m.csv")}
    shown = run_kavach(
        demo,
        "network",
        "show",
        "--format",
        "json",
        "--graphml",
        files["n.graphml"],
        "--edges",
        files["e.csv"],
        "--maltego",
        files["m.csv"],
    )
    network = json.loads(shown.stdout)
    labels = {n["id"]: n["label"] for n in network["nodes"]}
    groups = {n["label"]: n["id"] for n in network["nodes"] if n["kind"] == "group"}
    assert set(groups) == {"Share zone (demo)", "Kunnathu friends (demo)"}

    def members(group: str) -> set[str]:
        return {
            e["source"]
            for e in network["edges"]
            if e["target"] == groups[group] and e["kind"] == "member_of"
        }

    def community_of(persons: set[str]) -> int:
        (found,) = {
            n
            for n, c in enumerate(network["communities"])
            if persons & set(c["persons"])
        }
        return found

    share, friends = members("Share zone (demo)"), members("Kunnathu friends (demo)")
    names = {labels[p].removesuffix(" (demo)") for p in share}
    assert names == {"K. Rajesh", "Suresh P.", "Manoj Vadakkan"}
    assert len(friends) == 3
    # each group's members are one community, and the two are not the same one
    assert community_of(share) != community_of(friends)
    assert all(e["evidence"] for e in network["edges"])
    for c in network["communities"]:
        assert c["ties"] and all(t["evidence"] for t in c["ties"])
    graph = nx.read_graphml(files["n.graphml"])
    assert graph.number_of_edges() == len(network["edges"])
    assert files["e.csv"].read_text().startswith("source,source_kind,source_label")
    maltego = files["m.csv"].read_text().splitlines()
    assert maltego[0] == "source_type,source_value,link_label,target_type,target_value"
    assert any(line.startswith("maltego.Person,") for line in maltego[1:])


def test_never_holds_and_new_records_join_without_moving_ids(demo: Env) -> None:
    rows = _listed(demo)
    manoj = next(r for r in rows if _who(r) == "Manoj")
    # his two casework records (the address-book entries of his number join him too)
    first, second = (k for k in manoj["records"] if k.startswith("person:"))
    assert any(k.startswith("contact:") for k in manoj["records"])
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
