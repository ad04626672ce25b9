"""``kavach serve``: refuses to start on no or the demo's secret; serves the API
and the pages through uvicorn with worker processes."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from kavach.cli.serve import DEMO_SECRET
from tests.helpers.cli import Env, kavach_command, run_kavach


def test_no_secret_or_the_demo_secret_is_refused(sqlite_env: Env) -> None:
    for secret in ("", "short", DEMO_SECRET):
        done = run_kavach(sqlite_env, "serve", check=False, KAVACH_SECRET_KEY=secret)
        assert done.returncode == 78, done.stderr
        assert "KAVACH_SECRET_KEY" in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            status: int = answer.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_workers_answer_on_loopback(sqlite_env: Env, tmp_path: Path) -> None:
    run_kavach(sqlite_env, "init")
    port = _free_port()
    server = subprocess.Popen(
        [*kavach_command(), "serve", "--port", str(port), "--workers", "2"],
        env=sqlite_env.variables(KAVACH_SECRET_KEY="s" * 40),
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if _status(f"{base}/api/openapi.json") == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert _status(f"{base}/api/openapi.json") == 200
        assert _status(f"{base}/api/tips") == 401
        login = urllib.request.urlopen(f"{base}/login", timeout=5)
        assert login.status == 200 and b'name="csrf"' in login.read()
    finally:
        server.terminate()
        server.wait(30)
