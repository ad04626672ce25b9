"""Reviewing hits: every decision kept with who made it, categories and age bands,
and statistics that count confirmed material only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from kavach.demo.exhibit import build_demo
from kavach.storage.database import make_engine
from kavach.storage.tables import hit_review
from tests.helpers.cli import Env, run_kavach


def _json(env: Env, *args: str | Path) -> Any:
    return json.loads(run_kavach(env, *args, "--format", "json").stdout)


def test_reviews_are_kept_and_counted(env: Env, tmp_path: Path) -> None:
    demo = build_demo(tmp_path / "demo")
    for name, path in demo.lists:
        run_kavach(env, "hashset", "import", path, "--name", name)
    run_kavach(env, "scan", demo.exhibit, "--workers", "1")
    hits = _json(env, "hits")
    first, second, third = (h["hit_id"] for h in hits[:3])
    run_kavach(
        env,
        "hits",
        "review",
        str(first),
        "--decision",
        "rejected",
        "--note",
        "a drawing, not material",
        KAVACH_USER="examiner-a",
    )
    run_kavach(
        env,
        "hits",
        "review",
        str(first),
        "--decision",
        "confirmed",
        "--age-band",
        "6-10",
        "--category",
        "1",
        KAVACH_USER="examiner-b",
    )
    run_kavach(
        env,
        "hits",
        "review",
        str(second),
        "--decision",
        "confirmed",
        "--age-band",
        "11-15",
        "--self-produced",
    )
    run_kavach(env, "hits", "review", str(third), "--decision", "rejected")
    history = _json(env, "hits", "history", str(first))
    assert [(h["by"], h["decision"], h["age_band"]) for h in history] == [
        ("examiner-a", "rejected", None),
        ("examiner-b", "confirmed", "6-10"),
    ]
    assert history[0]["note"] == "a drawing, not material"
    material = _json(env, "stats", "material")
    assert sum(m["count"] for m in material) == 2  # the rejected one is not counted
    assert {"category": "1", "age_band": "6-10", "count": 1} in material
    assert {m["age_band"] for m in material} == {"6-10", "11-15"}
    bad = run_kavach(
        env,
        "hits",
        "review",
        str(second),
        "--decision",
        "confirmed",
        "--age-band",
        "12",
        check=False,
    )
    assert bad.returncode == 2 and "age-band" in bad.stderr
    wrong = run_kavach(
        env,
        "hits",
        "review",
        str(third),
        "--decision",
        "rejected",
        "--age-band",
        "adult",
        check=False,
    )
    assert wrong.returncode == 2 and "confirmed hit" in wrong.stderr
    # Decisions are evidence: the database refuses to change them, and a list
    # whose hits were reviewed cannot be removed (only retired).
    engine = make_engine(env.database_url)
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(update(hit_review).values(decision="rejected"))
    engine.dispose()
    name = hits[0]["hashset"]
    removed = run_kavach(env, "hashset", "remove", name, "--force", check=False)
    assert removed.returncode == 2 and "retire it instead" in removed.stderr
