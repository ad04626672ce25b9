"""An operation end to end from the command line, and a custody log no one can edit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Executable, delete, text, update
from sqlalchemy.exc import DBAPIError

from kavach.storage.casework_tables import custody_event
from kavach.storage.database import make_engine
from tests.helpers.cli import Env, run_kavach


def test_operation_figures_and_the_press_summary(env: Env) -> None:
    run_kavach(env, "init")
    run_kavach(
        env,
        "operation",
        "create",
        "P-Hunt 99.1",
        "--starts",
        "2026-11-29",
        "--ends",
        "2026-11-29",
        "--approved-by",
        "SP Cyber",
    )
    for place, recorded in (
        ("TC 1/1, Fort", True),
        ("TC 1/1 Fort", True),
        ("House 7, Aluva", False),
    ):
        args = [
            "search",
            "record",
            place,
            "--team-lead",
            "SI Test",
            "--operation",
            "P-Hunt 99.1",
            "--station",
            "Fort",
            "--at",
            "2026-11-29T06:00",
        ]
        if recorded:
            args += ["--recording", "VID_1.mp4", "--recording-sha256", "a" * 64]
        else:
            args += ["--child-age", "9"]
        result = run_kavach(env, *args)
        assert ("BNSS s.105" in result.stdout) is not recorded
    run_kavach(
        env,
        "seizure",
        "add",
        "PH991-1",
        "--type",
        "phone",
        "--search",
        "1",
        "--imei",
        "35693803564380",
    )
    run_kavach(env, "seizure", "add", "PH991-2", "--type", "laptop", "--search", "3")
    fir = run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Fort",
        "--year",
        "2026",
        "--serial",
        "3",
        "--section",
        "IT Act 67B",
        "--section",
        "POCSO 15(1)",
        "--operation",
        "P-Hunt 99.1",
        "--search",
        "1",
    )
    assert "FIR No. 03 of 2026, P.S. Fort (Thiruvananthapuram City)" in fir.stdout
    run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Fort",
        "--year",
        "2026",
        "--serial",
        "1",
        "--kind",
        "seizure_report",
        "--section",
        "BNS 294",
        "--operation",
        "P-Hunt 99.1",
    )
    again = run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Fort",
        "--year",
        "2026",
        "--serial",
        "3",
        "--section",
        "IT Act 67B",
        check=False,
    )
    assert again.returncode == 2 and "already registered" in again.stderr
    unknown = run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Fort",
        "--year",
        "2026",
        "--serial",
        "4",
        "--section",
        "IPC 999",
        check=False,
    )
    assert unknown.returncode == 2 and "unknown section 'IPC 999'" in unknown.stderr
    summary = run_kavach(env, "stats", "operation", "P-Hunt 99.1", "--summary")
    assert summary.stdout.strip() == (
        "In operation P-Hunt 99.1, 2 locations were searched, 2 devices were seized, "
        "2 cases were registered and 0 persons were arrested."
    )
    (figures,) = json.loads(
        run_kavach(env, "stats", "operation", "P-Hunt 99.1", "--format", "json").stdout
    )
    assert figures["searches"] == 3 and figures["searches_without_recording"] == 1
    assert figures["open_referrals"] == 1
    due = json.loads(run_kavach(env, "cases", "due", "--format", "json").stdout)
    assert {c["clock"] for c in due} == {
        "POCSO investigation (2 months)",
        "progress notice to informant (90 days)",
    }


def test_custody_log_only_grows_in_the_database_itself(env: Env) -> None:
    run_kavach(env, "init")
    run_kavach(env, "seizure", "add", "EXH-1", "--type", "phone")
    run_kavach(env, "custody", "add", "EXH-1", "sealed", "--place", "P.S. Fort")
    run_kavach(env, "custody", "add", "EXH-1", "received_at_lab", "--by", "Examiner")
    log = json.loads(
        run_kavach(env, "custody", "log", "EXH-1", "--format", "json").stdout
    )
    assert [e["step"] for e in log] == ["seized", "sealed", "received_at_lab"]
    engine = make_engine(env.database_url)
    try:
        statements: list[Executable] = [
            update(custody_event).values(remarks="edited"),
            delete(custody_event),
        ]
        if engine.dialect.name == "postgresql":
            statements.append(text("TRUNCATE custody_event CASCADE"))
        for statement in statements:
            with pytest.raises(DBAPIError, match="append-only"):
                with engine.begin() as connection:
                    connection.execute(statement)
    finally:
        engine.dispose()
    after = json.loads(
        run_kavach(env, "custody", "log", "EXH-1", "--format", "json").stdout
    )
    assert after == log


def test_a_case_from_registration_to_conviction(sqlite_env: Env) -> None:
    env = sqlite_env
    run_kavach(
        env,
        "operation",
        "create",
        "P-Hunt 99.2",
        "--starts",
        "2026-11-01",
        "--ends",
        "2026-11-01",
    )
    run_kavach(
        env,
        "search",
        "record",
        "House 3, Aluva",
        "--team-lead",
        "SI Test",
        "--operation",
        "P-Hunt 99.2",
        "--station",
        "Aluva East",
        "--child-age",
        "7",
        "--recording",
        "v.mp4",
        "--recording-sha256",
        "b" * 64,
    )
    added = run_kavach(
        env,
        "person",
        "add",
        "Rajesh Kumar K",
        "--malayalam",
        "രാജേഷ് കുമാർ കെ",
        "--father",
        "Krishnan",
        "--age",
        "34",
        "--phone",
        "98470 44444",
        "--imei",
        "35693803564380",
    )
    assert "person 1 added" in added.stdout
    bad = run_kavach(env, "person", "add", "X", "--phone", "12", check=False)
    assert bad.returncode == 2 and "'12'" in bad.stderr
    run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Aluva East",
        "--year",
        "2026",
        "--serial",
        "41",
        "--section",
        "POCSO 15(2)",
        "--operation",
        "P-Hunt 99.2",
        "--search",
        "1",
        "--at",
        "2026-11-01T12:00",
    )
    run_kavach(env, "case", "accuse", "1", "1")
    run_kavach(
        env, "case", "arrest", "1", "1", "--by", "SI Test", "--at", "2026-11-01T13:00"
    )
    due = json.loads(run_kavach(env, "cases", "due", "--format", "json").stdout)
    assert len(due) == 2
    run_kavach(
        env,
        "case",
        "charge-sheet",
        "1",
        "--at",
        "2026-12-01T10:00",
        "--court",
        "POCSO Court, Ernakulam",
    )
    run_kavach(env, "case", "notice", "1")
    assert json.loads(run_kavach(env, "cases", "due", "--format", "json").stdout) == []
    run_kavach(
        env,
        "case",
        "outcome",
        "1",
        "convicted",
        "--person",
        "1",
        "--court",
        "POCSO Court, Ernakulam",
        "--sentence",
        "3 years",
    )
    (case,) = json.loads(run_kavach(env, "case", "list", "--format", "json").stdout)
    assert case["status"] == "disposed" and case["arrests"] == 1
    assert case["sections"] == ["POCSO 15(2)"] and case["outcomes"] == ["convicted"]
    (person,) = json.loads(run_kavach(env, "person", "list", "--format", "json").stdout)
    assert person["name_malayalam"] == "രാജേഷ് കുമാർ കെ"
    assert {"kind": "phone", "value": "+919847044444", "service": None} in person[
        "identifiers"
    ]
    assert {"record": "arrest", "id": 1, "role": "arrested"} in person["records"]
    run_kavach(
        env, "person", "link", "1", "--record", "search", "--id", "1", "--role", "found"
    )
    late = run_kavach(
        env, "case", "arrest", "1", "1", "--by", "SI", "--at", "yesterday", check=False
    )
    assert late.returncode == 2 and "--at: 'yesterday' is not a time" in late.stderr
    run_kavach(
        env,
        "case",
        "add-section",
        "BNS 77",
        "--act",
        "BNS",
        "--section",
        "77",
        "--title",
        "Voyeurism",
    )
    codes = [
        s["code"]
        for s in json.loads(
            run_kavach(env, "case", "sections", "--format", "json").stdout
        )
    ]
    assert codes[0] == "IT Act 67B" and codes[-1] == "BNS 77" and len(codes) == 9
    summary = run_kavach(env, "stats", "operation", "P-Hunt 99.2", "--summary")
    assert "1 case was registered and 1 person was arrested" in summary.stdout
    board = json.loads(
        run_kavach(env, "operation", "board", "P-Hunt 99.2", "--format", "json").stdout
    )
    assert board[0]["open_referrals"] == 1 and board[0]["recorded"] is True
    run_kavach(
        env,
        "search",
        "close-referral",
        "S1-C1",
        "--outcome",
        "CWC: child placed with grandmother",
    )
    board = json.loads(
        run_kavach(env, "operation", "board", "P-Hunt 99.2", "--format", "json").stdout
    )
    assert board[0]["open_referrals"] == 0
    actions = [
        e["action"]
        for e in json.loads(run_kavach(env, "audit", "list", "--format", "json").stdout)
    ]
    for action in (
        "operation.create",
        "search.record",
        "person.add",
        "case.register",
        "case.accuse",
        "arrest.add",
        "case.charge_sheet",
        "case.notice",
        "case.outcome",
        "referral.close",
        "person.list",
    ):
        assert action in actions, action
