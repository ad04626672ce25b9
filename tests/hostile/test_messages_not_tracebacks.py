"""Hostile or unlucky input ends in one line saying what happened, never a traceback."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from kavach.cli.failures import describe
from tests.helpers import samples
from tests.helpers.cli import Env, run_kavach


def test_xml_list_with_entities_is_refused(sqlite_env: Env, tmp_path: Path) -> None:
    path = tmp_path / "ncmec.xml"
    samples.ncmec(path)
    laughs = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE queryResult [\n'
        '  <!ENTITY lol "lol">\n  <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n'
    )
    text = (
        path.read_text()
        .split("\n", 1)[1]
        .replace("<classification>A1", "<classification>&lol2;A1")
    )
    path.write_text(laughs + text)
    result = run_kavach(sqlite_env, "hashset", "import", path, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "entities and DTDs are not allowed" in result.stderr
    assert str(path) in result.stderr
    assert (
        "no hash lists imported yet" in run_kavach(sqlite_env, "hashset", "list").stdout
    )


def test_out_naming_a_file_is_refused_before_scanning(
    sqlite_env: Env, tmp_path: Path
) -> None:
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    (exhibit / "a.txt").write_text("a\n")
    taken = tmp_path / "report.html"
    taken.write_text("an earlier report")
    result = run_kavach(
        sqlite_env, "scan", exhibit, "--allow-empty", "--out", taken, check=False
    )
    assert result.returncode == 2 and "a file is there" in result.stderr
    assert result.stdout == "" and taken.read_text() == "an earlier report"


def test_failures_not_raised_on_purpose_are_one_line() -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/data/k.db")
    assert describe(full).startswith("disk full writing /data/k.db")
    locked = sqlite3.OperationalError("database is locked")
    assert "the database failed (OperationalError: database is locked)" in describe(
        locked
    )
    assert "KAVACH_DEBUG=1" in describe(ZeroDivisionError("division by zero"))
