"""Hostile input to the casework commands: one line, the right exit code, nothing
stored — never a fault, never a hang (found by a hostile-input pass on issue 9)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.helpers.casework import capture, person, report, write_reports
from tests.helpers.cli import Env, run_kavach

FAULT = "a fault in Kavach"


def _refused(env: Env, *args: str | Path, code: int = 2) -> str:
    result = run_kavach(env, *args, check=False)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert FAULT not in result.stderr and "Traceback" not in result.stderr
    return result.stderr


def _no_tips(env: Env) -> None:
    listed = run_kavach(env, "tips", "list", "--format", "json").stdout
    assert json.loads(listed) == []


@pytest.fixture
def env(sqlite_env: Env) -> Env:
    return sqlite_env


def test_times_past_what_dates_hold(env: Env, tmp_path: Path) -> None:
    far = "9999-12-31T23:59:59-12:00"
    tips = write_reports(
        tmp_path / "t.json",
        [
            report(
                "1",
                [person(phone="9847012345", captures=[capture("203.0.113.1", far, 1)])],
            )
        ],
    )
    assert "not a plausible time" in _refused(env, "tips", "import", tips)
    _no_tips(env)
    reply = tmp_path / "r.csv"
    reply.write_text(f"ip,start,end,subscriber\n203.0.113.1,2020-01-01,{far},X\n")
    assert "row 2" in _refused(env, "isp", "import", reply)
    assert "--at" in _refused(
        env, "search", "record", "Here", "--team-lead", "SI", "--at", far
    )
    assert "--to" in _refused(
        env, "stats", "compare", "--from", "2020-02-01", "--to", "2020-01-01"
    )


def test_digits_that_are_not_ascii_and_broken_workbooks(
    env: Env, tmp_path: Path
) -> None:
    tips = write_reports(
        tmp_path / "t.json",
        [
            report(
                "1",
                [
                    person(
                        phone="9847012345",
                        captures=[capture("203.0.113.1", "2020-01-01", None)],
                    )
                ],
            )
        ],
    )
    data = json.loads(tips.read_text())
    captures = data["reports"][0]["reportedInformation"]["reportedPeople"][
        "reportedPersons"
    ][0]["sourceInformation"]["sourceCaptures"]
    captures[0]["port"] = "²"
    tips.write_text(json.dumps(data))
    assert "not a port" in _refused(env, "tips", "import", tips)
    good = tmp_path / "good.xlsx"
    book = Workbook()
    book.active.append(["report_id"])
    book.save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data_ = src.read(item)
            dst.writestr(
                item, b"<junk" if item.filename == "xl/workbook.xml" else data_
            )
    assert "broken.xlsx" in _refused(
        env, "tips", "import", broken, "--format", "ncrb-sheet"
    )
    _no_tips(env)


def test_replies_that_are_too_large_empty_or_round_to_midnight(
    env: Env, tmp_path: Path
) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(
        "ip,start,end,subscriber\n203.0.113.1,2020-01-01,2020-01-02,"
        + "x" * 2_000_000
        + "\n"
    )
    assert "broken CSV" in _refused(env, "isp", "import", wide)
    empty = tmp_path / "empty.csv"
    empty.write_text("ip,start,end,subscriber\n")
    assert "no rows" in _refused(env, "isp", "import", empty)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(300 * 2**20)  # sparse: no disk used
    assert "larger than a reply" in _refused(env, "isp", "import", huge)
    assert "no shipped reply layout" in _refused(
        env, "isp", "import", empty, "--columns", "nosuchlayout"
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "IP Assigned",
            "Name of Subscriber",
            "Start Date",
            "Start Time (IST)",
            "End Date",
            "End Time (IST)",
        ]
    )
    sheet.append(["203.0.113.1", "X", "01-12-2020", 0.5, "01-12-2020", 0.999999999])
    late = tmp_path / "late.xlsx"
    book.save(late)
    result = run_kavach(env, "isp", "import", late, "--columns", "dot-ipdr")
    assert "1 windows" in result.stdout


def test_reports_that_are_not_what_they_claim(env: Env, tmp_path: Path) -> None:
    wrapped = tmp_path / "w.json"
    wrapped.write_text(json.dumps({"reports": {"reportId": "1"}}))
    assert "must be a list" in _refused(env, "tips", "import", wrapped)
    odd = write_reports(
        tmp_path / "odd.json", [report("1\x1b[2J", [person(phone="9847012345")])]
    )
    assert "control characters" in _refused(env, "tips", "import", odd)
    _no_tips(env)
    folder = tmp_path / "folder"
    write_reports(folder / "ok.json", [report("2", [person(phone="9847012346")])])
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    os.mkfifo(folder / "pipe.json")
    imported = run_kavach(env, "tips", "import", folder)
    assert "1 new tips" in imported.stdout
    assert "passwd.csv (a link or special file" in imported.stderr
    assert "pipe.json (a link or special file" in imported.stderr
    assert "not a regular file" in _refused(env, "tips", "import", folder / "pipe.json")


def test_casework_records_that_cannot_be(env: Env, tmp_path: Path) -> None:
    run_kavach(env, "init")
    assert "--ends" in _refused(
        env,
        "operation",
        "create",
        "Op",
        "--starts",
        "2020-12-05",
        "--ends",
        "2020-12-01",
    )
    assert "no search 999" in _refused(
        env, "seizure", "add", "PH-2", "--type", "phone", "--search", "999", code=4
    )
    assert "no target 999" in _refused(
        env, "search", "record", "Here", "--team-lead", "SI", "--target", "999", code=4
    )
    assert "64 hex digits" in _refused(
        env,
        "search",
        "record",
        "Here",
        "--team-lead",
        "SI",
        "--recording",
        "v.mp4",
        "--recording-sha256",
        "nothex",
    )
    assert "a child is 0 to 17" in _refused(
        env, "search", "record", "Here", "--team-lead", "SI", "--child-age", "200"
    )
    assert "--year" in _refused(
        env,
        "case",
        "register",
        "--station",
        "Fort",
        "--year",
        "-5",
        "--serial",
        "1",
        "--section",
        "IT Act 67B",
    )
    assert "no search 999" in _refused(
        env,
        "case",
        "register",
        "--station",
        "Fort",
        "--year",
        "2020",
        "--serial",
        "1",
        "--section",
        "IT Act 67B",
        "--search",
        "999",
        code=4,
    )
    twice = run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Fort",
        "--year",
        "2020",
        "--serial",
        "9",
        "--section",
        "IT Act 67B",
        "--section",
        "IT Act 67B",
    )
    assert "FIR No. 09 of 2020" in twice.stdout
    run_kavach(
        env, "seizure", "add", "PH-1", "--type", "phone", "--at", "2020-12-06T10:00"
    )
    assert "before PH-1 was seized" in _refused(
        env, "custody", "add", "PH-1", "sealed", "--at", "2020-12-01T10:00"
    )
    assert "seized already" in _refused(env, "custody", "add", "PH-1", "seized")
    assert "--pincode" in _refused(env, "person", "add", "X", "--pincode", "abc")
    assert "at most 300" in _refused(env, "person", "add", "x" * 10_000)
    out_file = tmp_path / "afile"
    out_file.write_text("")
    run_kavach(
        env,
        "operation",
        "create",
        "Op",
        "--starts",
        "2020-12-01",
        "--ends",
        "2020-12-01",
    )
    assert "a file is there" in _refused(
        env, "operation", "packages", "Op", "--out", out_file
    )
    assert "--to" in _refused(
        env, "stats", "table", "--from", "2021-01-01", "--to", "2020-01-01"
    )
