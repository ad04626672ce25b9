"""A scan killed with SIGKILL takes its worker processes with it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from kavach.demo.draw import draw_picture, encode
from tests.helpers.cli import Env, kavach_command, run_kavach


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has stopped running; only its entry is left


def test_workers_die_with_a_killed_scan(sqlite_env: Env, tmp_path: Path) -> None:
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    for index in range(400):
        picture = encode(draw_picture(2000 + index, (480, 360)))
        (exhibit / f"p{index:03d}.jpg").write_bytes(picture)
    listing = tmp_path / "unit.md5"
    listing.write_text("0" * 32 + "  x\n")
    run_kavach(sqlite_env, "hashset", "import", listing)
    process = subprocess.Popen(
        [*kavach_command(), "scan", str(exhibit), "--workers", "2"]
        + ["--progress", "jsonl"],
        env=sqlite_env.variables(KAVACH_BATCH_FILES="4"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if json.loads(line)["event"] == "committed":
            break
    workers = _children(process.pid)
    assert len(workers) >= 2
    alive = json.loads(run_kavach(sqlite_env, "runs", "--format", "json").stdout)
    assert [(r["status"], r["process_gone"]) for r in alive] == [("running", False)]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 20  # the kernel signals them at once; allow slack
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "workers outlived the scan"
    # The run stays marked running, but its process is known to be gone.
    runs = json.loads(run_kavach(sqlite_env, "runs", "--format", "json").stdout)
    assert [(r["status"], r["process_gone"]) for r in runs] == [("running", True)]
    table = run_kavach(sqlite_env, "runs").stdout
    assert "running (process gone: resume it)" in table
    refused = run_kavach(sqlite_env, "hits", check=False)
    assert refused.returncode == 2 and "its process is gone" in refused.stderr
    assert f"kavach scan --resume {runs[0]['id'][:8]}" in refused.stderr
