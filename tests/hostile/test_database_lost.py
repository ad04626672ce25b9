"""PostgreSQL lost in mid-scan: one line, exit 5, and a resume that holds."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.helpers import samples
from tests.helpers.cli import Env, kavach_command, run_kavach
from tests.helpers.db import fresh_postgres, postgres_admin_url

pytestmark = pytest.mark.postgres


def _admin_engine() -> Engine:
    return create_engine(
        postgres_admin_url().replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )


def _rows_written(url: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM file_record"))
            return int(count.scalar_one())
    except Exception:  # the tables are not there yet
        return 0
    finally:
        engine.dispose()


def _cut_connections(admin: Engine, database: str) -> None:
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": database},
        )


def test_postgres_lost_mid_scan_is_one_line_and_resumes(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    for i in range(6000):
        (evidence / f"note-{i:05d}.txt").write_text(f"note {i}\n" * 20)
    (evidence / "listed.txt").write_bytes(b"listed\n")
    listed = tmp_path / "list.md5"
    listed.write_text(f"{samples.MD5_A}  other\n")
    with fresh_postgres() as url:
        env = Env(url, tmp_path / "data")
        run_kavach(env, "hashset", "import", listed)
        scan = subprocess.Popen(
            [*kavach_command(), "scan", str(evidence), "--workers", "1"],
            env=env.variables(KAVACH_BATCH_FILES="20"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Once the scan writes rows, cut its connections again and again: an idle
        # pooled connection is replaced unseen, one inside a write transaction fails.
        database = url.rsplit("/", 1)[1]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and scan.poll() is None:
            if _rows_written(url):
                break
            time.sleep(0.02)
        admin = _admin_engine()
        try:
            while time.monotonic() < deadline and scan.poll() is None:
                _cut_connections(admin, database)
                time.sleep(0.01)
        finally:
            admin.dispose()
        stdout, stderr = scan.communicate(timeout=300)
        assert scan.returncode == 5, stderr
        assert "Traceback" not in stderr
        errors = [line for line in stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "the database failed" in errors[0]
        assert "kavach scan --resume" in errors[0]
        run_id = stdout.split("scan run ", 1)[1].split()[0]
        resumed = run_kavach(env, "scan", "--resume", run_id[:8])
        assert "6,001" in resumed.stdout
        runs = run_kavach(env, "runs", "--format", "json").stdout
        assert '"status": "complete"' in runs
