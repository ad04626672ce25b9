"""The command line as an examiner uses it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import samples
from tests.helpers.cli import Env, run_kavach


def test_malformed_list_is_refused_naming_the_line(env: Env, tmp_path: Path) -> None:
    good = tmp_path / "unit.md5"
    good.write_text(f"{samples.MD5_A}  a.jpg\n")
    run_kavach(env, "hashset", "import", good)
    listing = run_kavach(env, "hashset", "list").stdout
    bad = tmp_path / "unit2.md5"
    bad.write_text(f"{samples.MD5_A}  a.jpg\n{samples.MD5_B}  b.jpg\nGARBAGE here\n")
    result = run_kavach(env, "hashset", "import", bad, "--name", "unit", check=False)
    assert result.returncode == 2
    assert "line 3" in result.stderr and str(bad) in result.stderr
    assert run_kavach(env, "hashset", "list").stdout == listing


def test_hashset_list_shows_counts_and_provenance(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "partner.json"
    samples.vics_2(path)
    imported = run_kavach(sqlite_env, "hashset", "import", path, "--source", "ICMEC")
    assert "imported 2 entries into 'partner'" in imported.stdout
    listing = run_kavach(sqlite_env, "hashset", "list").stdout
    assert "partner" in listing and "ICMEC" in listing and "vics" in listing
    assert "test-examiner" in listing


def test_init_creates_database_and_data_folder(sqlite_env: Env) -> None:
    result = run_kavach(sqlite_env, "init")
    assert sqlite_env.data_dir.is_dir() and "data folder" in result.stdout


def test_hits_formats(sqlite_env: Env, tmp_path: Path) -> None:
    exhibit_file = tmp_path / "exhibit" / "a.txt"
    exhibit_file.parent.mkdir()
    exhibit_file.write_text("listed bytes\n")
    listing = tmp_path / "list.txt"
    digest = run_kavach(sqlite_env, "hash", exhibit_file).stdout
    sha256 = json.loads(digest)["sha256"]
    listing.write_text(f"{sha256.upper()}  a.txt\n")
    run_kavach(sqlite_env, "hashset", "import", listing, "--name", "unit")
    run_kavach(sqlite_env, "scan", tmp_path / "exhibit")
    csv_out = run_kavach(sqlite_env, "hits").stdout.splitlines()
    assert csv_out[1].startswith("a.txt,13,")
    assert ",exact,sha256,0,unit," in csv_out[1]
    records = json.loads(run_kavach(sqlite_env, "hits", "--format", "json").stdout)
    assert [r["sha256"] for r in records] == [sha256]
    assert isinstance(records[0]["hit_id"], int)
    lines = run_kavach(sqlite_env, "hits", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == records
    vics = json.loads(run_kavach(sqlite_env, "hits", "--format", "vics").stdout)
    assert vics["value"][0]["MediaFiles"][0]["FileName"] == "a.txt"


def test_scan_first_line_is_the_run_id(sqlite_env: Env, tmp_path: Path) -> None:
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "x.bin").write_bytes(b"\0" * 10)
    refused = run_kavach(sqlite_env, "scan", tmp_path / "e", check=False)
    assert refused.returncode == 7 and "no hash list is imported" in refused.stderr
    assert refused.stdout == ""  # no run was started
    result = run_kavach(sqlite_env, "scan", tmp_path / "e", "--allow-empty")
    words = result.stdout.splitlines()[0].split()
    assert (
        words[:2] == ["scan", "run"] and len(words[2]) == 32 and words[3] == "started"
    )
    assert "no hash lists imported" in result.stderr


def test_demo_prints_the_report_path(sqlite_env: Env, tmp_path: Path) -> None:
    result = run_kavach(sqlite_env, "demo", "--workdir", tmp_path / "demo")
    report = Path(result.stdout.strip().splitlines()[-1])
    assert report.is_absolute() and report.name == "report.html" and report.exists()
    assert "expected: 12 planted copies" in result.stdout
    assert "hits 12" in result.stdout
    press = (
        "In operation P-Hunt 20.2, 596 locations were searched, 392 devices were "
        "seized, 339 cases were registered and 41 persons were arrested."
    )
    assert press in result.stdout
    workdir = tmp_path / "demo"
    demo_env = Env(f"sqlite:///{workdir / 'kavach-demo.db'}", workdir / "kavach-data")
    summary = run_kavach(demo_env, "stats", "operation", "P-Hunt 20.2", "--summary")
    assert summary.stdout.strip() == press
    assert (workdir / "charts" / "month-trend.svg").is_file()
    assert (workdir / "packages" / "index.csv").is_file()
    tips = json.loads(run_kavach(demo_env, "tips", "list", "--format", "json").stdout)
    assert len(tips) == 48 and {t["located_by"] for t in tips} == {"isp", None}


def test_hashset_list_as_json(sqlite_env: Env, tmp_path: Path) -> None:
    listing = tmp_path / "unit.md5"
    listing.write_text("0" * 32 + "  x\n")
    run_kavach(sqlite_env, "hashset", "import", listing, "--name", "unit")
    (info,) = json.loads(
        run_kavach(sqlite_env, "hashset", "list", "--format", "json").stdout
    )
    assert (
        info["name"] == "unit" and info["entries"] == 1 and info["counts"]["md5"] == 1
    )
    assert info["state"] == "active" and info["pdq_threshold"] == 31
