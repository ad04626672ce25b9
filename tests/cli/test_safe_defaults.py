"""Safe by default: clear refusals instead of lost data or an empty answer."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import update

from kavach.demo.draw import draw_picture, encode
from kavach.settings import Settings
from kavach.storage.database import make_engine
from kavach.storage.tables import scan_run
from tests.helpers.cli import Env, run_kavach


def _one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("KAVACH_WORKERS", "abc", "valid integer"),
        ("KAVACH_PDQ_THRESHOLD", "400", "less than or equal to 255"),
        ("KAVACH_BATCH_FILES", "0", "greater than or equal to 1"),
        ("KAVACH_DATABASE_URL", "mysql://db", "sqlite:/// or postgresql://"),
    ],
)
def test_malformed_setting_is_refused_by_every_command(
    sqlite_env: Env, variable: str, value: str, says: str
) -> None:
    for command in (["version"], ["hashset", "formats"], ["runs"]):
        result = run_kavach(sqlite_env, *command, check=False, **{variable: value})
        assert result.returncode == 78
        line = _one_line_error(result.stderr)
        assert f"{variable}={value!r}" in line and says in line


def test_postgres_scheme_is_postgresql() -> None:
    settings = Settings(database_url="postgres://u@db/kavach")
    assert settings.database_url == "postgresql://u@db/kavach"
    assert make_engine(settings.database_url).dialect.name == "postgresql"


def test_pdq_threshold_is_checked_and_shown(sqlite_env: Env, tmp_path: Path) -> None:
    listing = tmp_path / "unit.pdq"
    listing.write_text("f" * 64 + "\n")
    refused = run_kavach(
        sqlite_env, "hashset", "import", listing, "--pdq-threshold", "400", check=False
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "--pdq-threshold" in refused.stderr and "255" in refused.stderr
    run_kavach(sqlite_env, "hashset", "import", listing, "--pdq-threshold", "12")
    other = tmp_path / "other.pdq"
    other.write_text("0" * 64 + "\n")
    run_kavach(sqlite_env, "hashset", "import", other)
    listed = run_kavach(sqlite_env, "hashset", "list").stdout
    assert "pdq threshold" in listed and "31 (default)" in listed
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    (exhibit / "a.jpg").write_bytes(encode(draw_picture(5)))
    run_kavach(sqlite_env, "scan", exhibit, "--out", tmp_path / "out")
    report = (tmp_path / "out" / "report.html").read_text()
    assert '<td class="threshold">12</td>' in report
    assert '<td class="threshold">31</td>' in report


def test_demo_never_empties_a_folder_it_did_not_make(tmp_path: Path) -> None:
    env = Env(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path / "unused-data")
    precious = tmp_path / "case-folder"
    precious.mkdir()
    (precious / "kavach.db").write_bytes(b"the unit's database")
    result = run_kavach(env, "demo", "--workdir", precious, check=False)
    assert result.returncode == 2 and "did not make" in result.stderr
    assert [p.name for p in precious.iterdir()] == ["kavach.db"]
    assert (precious / "kavach.db").read_bytes() == b"the unit's database"
    demo = tmp_path / "demo"
    run_kavach(env, "demo", "--workdir", demo)
    again = run_kavach(env, "demo", "--workdir", demo)  # its own folder: emptied
    assert "hits 12" in again.stdout


def test_run_ids_unknown_prefixes_and_runs(sqlite_env: Env, tmp_path: Path) -> None:
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    (exhibit / "a.txt").write_text("a\n")
    scan_id = run_kavach(sqlite_env, "scan", exhibit, "--allow-empty").stdout.split()[2]
    typo = run_kavach(sqlite_env, "hits", "--scan", "0000beef", check=False)
    assert typo.returncode == 4 and typo.stdout == ""
    assert "no scan run '0000beef'" in _one_line_error(typo.stderr)
    by_prefix = run_kavach(sqlite_env, "hits", "--scan", scan_id[:7])
    assert f"from scan run {scan_id}" in by_prefix.stderr
    latest = run_kavach(sqlite_env, "hits")
    assert f"from scan run {scan_id} (exhibit e, complete)" in latest.stderr
    resumed = run_kavach(sqlite_env, "scan", "--resume", scan_id[:8])
    assert resumed.stdout.splitlines()[0] == f"scan run {scan_id} resumed"
    runs = json.loads(run_kavach(sqlite_env, "runs", "--format", "json").stdout)
    assert [(r["id"], r["status"], r["exhibit"]) for r in runs] == [
        (scan_id, "complete", "e")
    ]
    assert run_kavach(sqlite_env, "runs").stdout.count(scan_id) == 1
    engine = make_engine(sqlite_env.database_url)
    with engine.begin() as connection:
        # As if a live process (this one) were scanning it.
        connection.execute(update(scan_run).values(status="running", pid=os.getpid()))
    engine.dispose()
    busy = run_kavach(sqlite_env, "hits", check=False)
    assert busy.returncode == 2 and "still running" in busy.stderr


def test_empty_exhibit_is_an_error_with_a_banner(
    sqlite_env: Env, tmp_path: Path
) -> None:
    listing = tmp_path / "unit.md5"
    listing.write_text("0" * 32 + "  x\n")
    run_kavach(sqlite_env, "hashset", "import", listing)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_kavach(
        sqlite_env, "scan", empty, "--out", tmp_path / "out", check=False
    )
    assert result.returncode == 8 and "found no file" in result.stderr
    assert 'id="no-files"' in (tmp_path / "out" / "report.html").read_text()
    accepted = run_kavach(
        sqlite_env, "scan", empty, "--allow-empty", "--out", tmp_path / "out2"
    )
    assert accepted.returncode == 0


def test_scan_without_lists_shows_a_banner_when_allowed(
    sqlite_env: Env, tmp_path: Path
) -> None:
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    (exhibit / "a.txt").write_text("a\n")
    run_kavach(sqlite_env, "scan", exhibit, "--allow-empty", "--out", tmp_path / "o")
    assert 'id="no-lists"' in (tmp_path / "o" / "report.html").read_text()


def test_exhibit_add_refuses_pictures_changed_images_and_unknown_verifies(
    sqlite_env: Env, tmp_path: Path, testdata: Path
) -> None:
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(encode(draw_picture(9)))
    refused = run_kavach(sqlite_env, "exhibit", "add", picture, check=False)
    assert refused.returncode == 2
    assert "not a disk image" in _one_line_error(refused.stderr)
    image = tmp_path / "disc.raw"
    image.write_bytes((testdata / "dfvfs" / "iso9660.raw").read_bytes())
    run_kavach(sqlite_env, "exhibit", "add", image)
    same = run_kavach(sqlite_env, "exhibit", "add", image)
    assert "already registered" in same.stdout
    with image.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"changed")
    changed = run_kavach(sqlite_env, "exhibit", "add", image, check=False)
    assert changed.returncode == 6
    assert "already registered; MISMATCH" in changed.stderr
    unknown = run_kavach(sqlite_env, "exhibit", "verify", picture, check=False)
    assert unknown.returncode == 4 and "not a registered image" in unknown.stderr
