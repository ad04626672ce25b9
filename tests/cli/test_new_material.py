"""New material: files no list holds, marked by an examiner, kept with their
history, counted once per exhibit, and exported to partners without the file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError

from kavach.demo.exhibit import build_demo
from kavach.reporting.material_exports import ICSE_COLUMNS
from kavach.storage.database import make_engine
from kavach.storage.tables import file_review
from tests.helpers.cli import Env, run_kavach


def _json(env: Env, *args: str | Path) -> Any:
    return json.loads(run_kavach(env, *args, "--format", "json").stdout)


def _scanned(env: Env, tmp_path: Path) -> tuple[list[Any], list[Any]]:
    demo = build_demo(tmp_path / "demo")
    for name, path in demo.lists:
        run_kavach(env, "hashset", "import", path, "--name", name)
    run_kavach(env, "scan", demo.exhibit, "--workers", "1")
    return _json(env, "files"), _json(env, "hits")


def _unlisted(files: list[Any], hits: list[Any]) -> list[Any]:
    hit_files = {h["file_id"] for h in hits}
    return [
        f
        for f in files
        if f["file_id"] not in hit_files and not f["known"]
        and f["mime"].startswith("image/")
    ]  # fmt: skip


def test_new_material_is_marked_kept_counted_and_exported(
    env: Env, tmp_path: Path
) -> None:
    files, hits = _scanned(env, tmp_path)
    assert all(isinstance(f["file_id"], int) and f["file_id"] > 0 for f in files)
    first, second = _unlisted(files, hits)[:2]
    review = ["files", "review"]
    run_kavach(env, *review, str(first["file_id"]), "--decision", "rejected",
               KAVACH_USER="examiner-a")  # fmt: skip
    run_kavach(env, *review, str(first["file_id"]), "--decision", "confirmed",
               "--category", "1", "--age-band", "6-10", "--self-produced",
               "--note", "same room as the phone's own photos",
               KAVACH_USER="examiner-b")  # fmt: skip
    run_kavach(env, *review, str(second["file_id"]), "--decision", "confirmed",
               "--age-band", "11-15")  # fmt: skip
    history = _json(env, "files", "history", str(first["file_id"]))
    assert [(h["by"], h["decision"]) for h in history] == [
        ("examiner-a", "rejected"),
        ("examiner-b", "confirmed"),
    ]
    # A file on a list is reviewed as a hit, not marked as new material.
    listed = run_kavach(
        env, *review, str(hits[0]["file_id"]), "--decision", "confirmed", check=False
    )
    assert listed.returncode == 2 and "kavach hits review" in listed.stderr
    unknown = run_kavach(env, *review, "999999", "--decision", "rejected", check=False)
    assert unknown.returncode != 0 and "no file record 999999" in unknown.stderr

    material = _json(env, "stats", "material")
    assert {"category": "1", "age_band": "6-10", "count": 1} in material
    assert {"category": "none", "age_band": "11-15", "count": 1} in material
    by_exhibit = _json(env, "stats", "material", "--by", "exhibit")
    assert len({row["exhibit"] for row in by_exhibit}) == 1
    assert sum(row["count"] for row in by_exhibit) == 2

    vics = json.loads(
        run_kavach(env, "files", "new-material", "--format", "vics").stdout
    )
    media = {m["MD5"]: m for m in vics["value"]}
    assert set(media) == {first["md5"], second["md5"]}
    one = media[first["md5"]]
    assert one["Category"] == 1 and "self-produced" in one["Tags"]
    assert "age band 6-10" in one["Tags"]
    assert one["MediaFiles"][0]["FileName"] == first["path"].rpartition("/")[2]
    assert {
        "MD5": first["md5"],
        "HashName": "SHA256",
        "HashValue": first["sha256"],
    } in one["AlternativeHashes"]
    text = json.dumps(vics)
    assert "base64" not in text and "data:" not in text  # hashes, never content

    icse = run_kavach(
        env, "files", "new-material", "--format", "icse", KAVACH_AGENCY="CCSE Kerala"
    ).stdout
    rows = list(csv.reader(io.StringIO(icse), delimiter=";"))
    assert rows[0] == ICSE_COLUMNS
    assert {r[0] for r in rows[1:]} == {first["md5"], second["md5"]}
    assert all(r[11] == "CCSE Kerala" and r[13] == "False" for r in rows[1:])

    # Withdrawing the mark takes the file out of counts and exports; the history
    # keeps all three decisions, and the database refuses to drop one.
    run_kavach(env, *review, str(first["file_id"]), "--decision", "rejected",
               "--note", "adult on review")  # fmt: skip
    assert sum(m["count"] for m in _json(env, "stats", "material")) == 1
    vics = json.loads(
        run_kavach(env, "files", "new-material", "--format", "vics").stdout
    )
    assert [m["MD5"] for m in vics["value"]] == [second["md5"]]
    assert len(_json(env, "files", "history", str(first["file_id"]))) == 3
    engine = make_engine(env.database_url)
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(delete(file_review))
    engine.dispose()


def test_a_file_counts_once_per_exhibit_however_often_it_is_hit(
    env: Env, tmp_path: Path
) -> None:
    files, hits = _scanned(env, tmp_path)
    by_file: dict[int, list[Any]] = {}
    for h in hits:
        if h["list_role"] == "alert":
            by_file.setdefault(h["file_id"], []).append(h)
    for group in by_file.values():
        for h in group:
            run_kavach(env, "hits", "review", str(h["hit_id"]), "--decision",
                       "confirmed", "--age-band", "6-10")  # fmt: skip
    material = _json(env, "stats", "material")
    # Copies of one picture (by SHA-256) are one item; so is a file two lists hit.
    distinct = {group[0]["sha256"] for group in by_file.values()}
    assert sum(m["count"] for m in material) == len(distinct)
    assert len(hits) > len(distinct)
