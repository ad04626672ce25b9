"""Kill `kavach scan` halfway, resume it: the outputs equal an uninterrupted scan's."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import build_demo
from kavach.storage.database import make_engine
from kavach.storage.tables import scan_run
from tests.helpers.cli import Env, kavach_command, run_kavach
from tests.helpers.scanning import output_rows


def _bulk_exhibit(tmp_path: Path) -> tuple[Path, list[tuple[str, Path]]]:
    demo = build_demo(tmp_path / "demo")
    bulk = demo.exhibit / "zz-bulk"
    bulk.mkdir()
    for index in range(240):
        (bulk / f"photo_{index:03d}.jpg").write_bytes(
            encode(draw_picture(1000 + index, (320, 240)))
        )
    # Listed pictures late in the walk, so hits land after the kill as well.
    shutil.copy(demo.exhibit / "DCIM/Camera/IMG_0001.jpg", bulk / "photo_230b.jpg")
    shutil.copy(demo.exhibit / "Pictures/rotated.jpg", bulk / "photo_231b.jpg")
    return demo.exhibit, demo.lists


def _checkpoint(env: Env, scan_id: str) -> int:
    engine = make_engine(env.database_url)
    try:
        with engine.connect() as connection:
            value = connection.execute(
                select(scan_run.c.checkpoint).where(scan_run.c.id == scan_id)
            ).scalar()
    finally:
        engine.dispose()
    return int(value or 0)


@pytest.mark.slow
def test_killed_scan_resumes_without_loss_or_duplicates(
    env: Env, tmp_path: Path
) -> None:
    exhibit, lists = _bulk_exhibit(tmp_path)
    for name, path in lists:
        run_kavach(env, "hashset", "import", path, "--name", name)
    variables = env.variables(KAVACH_BATCH_FILES="4", KAVACH_WORKERS="1")
    process = subprocess.Popen(
        [*kavach_command(), "scan", str(exhibit), "--progress", "jsonl"],
        env=variables,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline().split()
    assert first[:2] == ["scan", "run"] and first[3] == "started"
    scan_id = first[2]
    # Kill as soon as the scan says it has committed 40 items: no polling.
    for line in process.stderr:
        event = json.loads(line)
        if event["event"] == "committed" and event["checkpoint"] >= 40:
            break
    else:
        raise AssertionError("the scan ended before it could be killed")
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = _checkpoint(env, scan_id)
    assert 40 <= killed_at < 250

    resumed = run_kavach(
        env, "scan", "--resume", scan_id, "--out", tmp_path / "resumed"
    )
    assert resumed.stdout.splitlines()[0] == f"scan run {scan_id} resumed"
    run_kavach(env, "scan", exhibit, "--out", tmp_path / "whole")
    for name in ("hits.csv", "files.csv", "warnings.csv"):
        resumed_rows = output_rows(tmp_path / "resumed" / name)
        assert resumed_rows == output_rows(tmp_path / "whole" / name), name
    hits = (tmp_path / "resumed" / "hits.csv").read_text()
    assert "zz-bulk/photo_230b.jpg" in hits and "zz-bulk/photo_231b.jpg" in hits
    files = (tmp_path / "resumed" / "files.csv").read_text().splitlines()
    assert len(files) == len(set(files))


def test_resume_of_unknown_run_is_a_clear_error(sqlite_env: Env) -> None:
    result = run_kavach(sqlite_env, "scan", "--resume", "nope", check=False)
    assert result.returncode == 4
    assert "no scan run 'nope'" in result.stderr
