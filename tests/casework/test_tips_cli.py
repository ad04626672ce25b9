"""Tips in from the command line: deduplicated, updated with history, grouped into
targets by the identifier rules, placed by ISP replies and GeoIP, routed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers.casework import (
    capture,
    city,
    person,
    report,
    write_city_db,
    write_reports,
)
from tests.helpers.cli import Env, run_kavach

LISTED_MD5 = "0cc175b9c0f1b6a831c399e269772661"


def _json(env: Env, *args: str) -> Any:
    return json.loads(run_kavach(env, *args, "--format", "json").stdout)


def _reports() -> list[dict[str, Any]]:
    return [
        # A and B share a phone written two ways: one target.
        report(
            "9001",
            [
                person(
                    phone="+91 98470 11111",
                    screen="@Kuttan",
                    captures=[capture("203.0.113.7", "2026-11-19T20:00:00Z", 40001)],
                )
            ],
            files=[("a.jpg", LISTED_MD5), ("b.jpg", "f" * 32)],
        ),
        report("9002", [person(phone="09847011111", email="Other@Example.IN")]),
        # C shares only the IP address with A: never the same target.
        report(
            "9003",
            [
                person(
                    email="third@example.in",
                    captures=[capture("203.0.113.7", "2026-11-19T20:00:00Z", 40001)],
                )
            ],
        ),
        # D: the same screen name as A but on another service: not the same account.
        report("9004", [person(screen="kuttan", service="ExampleMail")]),
        # E: a CGNAT address without a port.
        report(
            "9005",
            [
                person(
                    email="fifth@example.in",
                    captures=[capture("100.64.1.9", "2026-11-19T21:00:00Z")],
                )
            ],
        ),
    ]


def test_tips_import_targets_isp_and_geoip(env: Env, tmp_path: Path) -> None:
    # On SQLite and on PostgreSQL.
    listed = tmp_path / "list.md5"
    listed.write_text(f"{LISTED_MD5}  a.jpg\n")
    run_kavach(env, "hashset", "import", listed, "--name", "partner")
    folder = tmp_path / "tips"
    write_reports(folder / "batch1.json", _reports())
    (folder / "9001.pdf").write_bytes(b"%PDF-1.4 synthetic attachment")
    (folder / "notes.txt").write_text("not a report")

    first = run_kavach(env, "tips", "import", folder)
    assert "5 new tips, 0 updated, 0 unchanged" in first.stdout
    assert "report 9001: 2 files, 1 on list partner" in first.stdout
    assert "notes.txt: not a tip format" in first.stderr
    assert "1 attachments recorded by SHA-256" in first.stdout
    again = run_kavach(env, "tips", "import", folder)
    assert "0 new tips, 0 updated, 5 unchanged" in again.stdout

    tips = {t["report_id"]: t for t in _json(env, "tips", "list")}
    assert tips["9001"]["target_id"] == tips["9002"]["target_id"]
    others = {tips[r]["target_id"] for r in ("9003", "9004", "9005")}
    assert len(others) == 3 and tips["9001"]["target_id"] not in others
    assert tips["9001"]["files"] == 2 and tips["9001"]["files_on_lists"] == 1

    targets = {t["id"]: t for t in _json(env, "targets", "list")}
    joined = targets[tips["9001"]["target_id"]]
    assert sorted(joined["tips"]) == ["9001", "9002"]
    values = {(i["kind"], i["value"], i["service"]) for i in joined["identifiers"]}
    assert ("phone", "+919847011111", None) in values
    assert ("screen_name", "kuttan", "examplechat") in values
    factors = {f["factor"]: f for f in joined["explanation"]}
    assert factors["reports"]["value"] == "2" and factors["reports"]["points"] == 20
    assert factors["files on hash lists"]["value"] == "1 of 2"
    assert joined["score"] == sum(f["points"] for f in joined["explanation"])
    assert {"target": tips["9003"]["target_id"], "via": "ip 203.0.113.7"} in joined[
        "same_connection"
    ]

    # The ISP names the subscriber behind 203.0.113.7:40001 at that moment (IST).
    reply = tmp_path / "reply.csv"
    reply.write_text(
        "ip,port,start,end,subscriber,address,pincode,phone\n"
        "203.0.113.7,40000-40999,2026-11-20 01:00,2026-11-20 02:00,Synthetic Stores,"
        '"TC 12/345, Kazhakkoottam, Thiruvananthapuram",695582,0471 2000000\n'
        "203.0.113.7,41000-41999,2026-11-20 01:00,2026-11-20 02:00,Someone Else,"
        '"Kollam",691001,\n'
        "100.64.1.9,1-65535,2026-11-20 00:00,2026-11-21 00:00,Cgnat Subscriber,"
        '"Kochi",682001,\n'
    )
    attributed = run_kavach(env, "isp", "import", reply)
    assert "2 events attributed, 1 not attributable" in attributed.stdout
    tips = {t["report_id"]: t for t in _json(env, "tips", "list")}
    for report_id in ("9001", "9003"):
        assert tips[report_id]["district"] == "THIRUVANANTHAPURAM"
        assert tips[report_id]["located_by"] == "isp"
        assert tips[report_id]["police_district"] == "Thiruvananthapuram City"
        assert tips[report_id]["station"].startswith("Cyber Police Station")
    assert tips["9005"]["located_by"] is None  # CGNAT without a port: not guessed
    targets = {t["id"]: t for t in _json(env, "targets", "list")}
    link = targets[tips["9001"]["target_id"]]["same_connection"]
    assert any(v["via"].startswith("subscriber Synthetic Stores") for v in link)

    # GeoIP places what no reply did.
    geo = write_city_db(
        tmp_path / "city.mmdb", {"198.51.100.0/24": city("Kozhikode", 11.25, 75.78)}
    )
    write_reports(
        folder / "batch2.json",
        [
            report(
                "9006",
                [
                    person(
                        email="sixth@example.in",
                        captures=[capture("198.51.100.20", "2026-11-19T10:00Z")],
                    )
                ],
            )
        ],
    )
    run_kavach(env, "tips", "import", folder / "batch2.json", KAVACH_GEOIP_DB=str(geo))
    tips = {t["report_id"]: t for t in _json(env, "tips", "list")}
    assert tips["9006"]["district"] == "KOZHIKODE"
    assert tips["9006"]["located_by"] == "geoip"

    due = json.loads(run_kavach(env, "cases", "due", "--format", "json").stdout)
    assert [c["case"] for c in due] == ["report 9006, 198.51.100.20"]
    assert due[0]["clock"] == "ISP retention (2 years)"
    requests = run_kavach(env, "isp", "requests", "--out", tmp_path / "letters")
    assert "requests to" in requests.stdout
    assert (tmp_path / "letters" / "index.csv").is_file()


def test_a_resent_report_updates_and_keeps_history(env: Env, tmp_path: Path) -> None:
    # On SQLite and on PostgreSQL.
    path = write_reports(
        tmp_path / "t.json",
        [report("7001", [person(phone="9847022222")], files=[("x.jpg", "a" * 32)])],
    )
    run_kavach(env, "tips", "import", path)
    write_reports(
        path,
        [
            report(
                "7001",
                [person(phone="9847022222")],
                files=[("y.jpg", "b" * 32), ("z.jpg", "c" * 32)],
            )
        ],
    )
    updated = run_kavach(env, "tips", "import", path)
    assert "0 new tips, 1 updated" in updated.stdout
    (tip,) = _json(env, "tips", "list")
    assert tip["revision"] == 2 and tip["files"] == 2  # the file list is replaced
    audit = _json(env, "audit", "list")
    imports = [e for e in audit if e["action"] == "tips.import"]
    assert [e["detail"]["updated"] for e in imports] == [0, 1]


def test_bad_input_is_named_and_nothing_is_imported(
    sqlite_env: Env, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<reports><report reportId="1"><incidentSummary>&b;</incidentSummary>'
        "</report></reports>"
    )
    refused = run_kavach(
        sqlite_env, "tips", "import", bomb, "--format", "cybertip-xml", check=False
    )
    assert refused.returncode == 2 and "bomb.xml" in refused.stderr
    bad = tmp_path / "sheet.csv"
    bad.write_text("report_id,date_received,suspect_phone\n1,2026-11-01,12\n")
    named = run_kavach(sqlite_env, "tips", "import", bad, check=False)
    assert named.returncode == 2
    assert "sheet.csv" in named.stderr and "row 2" in named.stderr
    assert "suspect_phone" in named.stderr
    good = write_reports(
        tmp_path / "ok.json", [report("1", [person(phone="9847033333")])]
    )
    mixed = run_kavach(sqlite_env, "tips", "import", good, bad, check=False)
    assert mixed.returncode == 2  # one bad file refuses the whole import
    assert _json(sqlite_env, "tips", "list") == []
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.txt").write_text("no reports here")
    nothing = run_kavach(sqlite_env, "tips", "import", empty, check=False)
    assert nothing.returncode == 2 and "no tip file found" in nothing.stderr
    skipped = run_kavach(sqlite_env, "tips", "import", good, bad, "--skip-invalid")
    assert "1 new tips" in skipped.stdout and "rejected" in skipped.stderr


def test_csv_lists_never_carry_a_formula(sqlite_env: Env, tmp_path: Path) -> None:
    path = write_reports(
        tmp_path / "f.json",
        [report("8001", [person(screen='=HYPERLINK("http://x.example","y")')])],
    )
    run_kavach(sqlite_env, "tips", "import", path)
    listed = run_kavach(sqlite_env, "targets", "list", "--format", "csv").stdout
    assert "'=hyperlink" in listed and ",=hyperlink" not in listed.lower()
