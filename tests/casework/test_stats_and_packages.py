"""Figures by month and station with charts, a period against the previous one, and
search packages that carry no material."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.helpers.casework import capture, person, report, write_reports
from tests.helpers.cli import Env, run_kavach


def test_stats_tables_charts_and_packages(sqlite_env: Env, tmp_path: Path) -> None:
    env = sqlite_env
    tips = write_reports(
        tmp_path / "tips.json",
        [
            report(
                "5001",
                [
                    person(
                        phone="9847055555",
                        first="Anil",
                        last="K",
                        captures=[capture("203.0.113.9", "2026-10-05T10:00Z")],
                    )
                ],
                files=[("secret-name.jpg", "e" * 32)],
                received="2026-10-05T12:00:00Z",
            ),
            report(
                "5002", [person(email="b@example.in")], received="2026-11-06T12:00:00Z"
            ),
        ],
    )
    run_kavach(env, "tips", "import", tips)
    reply = tmp_path / "reply.csv"
    reply.write_text(
        "ip,start,end,subscriber,address,pincode\n"
        "203.0.113.9,2026-10-05 15:00,2026-10-05 16:00,Anil K,"
        '"Near Temple, Kazhakkoottam",695582\n'
    )
    run_kavach(env, "isp", "import", reply)
    targets = json.loads(run_kavach(env, "targets", "list", "--format", "json").stdout)
    run_kavach(
        env,
        "operation",
        "create",
        "P-Hunt 99.3",
        "--starts",
        "2026-11-10",
        "--ends",
        "2026-11-10",
    )
    run_kavach(
        env, "operation", "add-targets", "P-Hunt 99.3", *[str(t["id"]) for t in targets]
    )
    run_kavach(
        env,
        "search",
        "record",
        "Near Temple, Kazhakkoottam",
        "--team-lead",
        "SI Test",
        "--operation",
        "P-Hunt 99.3",
        "--station",
        "Kazhakkoottam",
        "--at",
        "2026-11-10T06:00",
    )
    run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Kazhakkoottam",
        "--year",
        "2026",
        "--serial",
        "9",
        "--section",
        "IT Act 67B",
        "--operation",
        "P-Hunt 99.3",
        "--at",
        "2026-11-10T12:00",
    )

    months = json.loads(
        run_kavach(
            env,
            "stats",
            "table",
            "--by",
            "month",
            "--format",
            "json",
            "--charts",
            tmp_path / "charts",
        ).stdout
    )
    by_month = {row["month"]: row for row in months}
    assert by_month["2026-10"]["tips_received"] == 1
    assert by_month["2026-11"]["tips_received"] == 1
    assert by_month["2026-11"]["searches"] == 1 and by_month["2026-11"]["firs"] == 1
    assert by_month["total"]["tips_routed"] == 1
    charts = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert "month-trend.png" in charts and "month-trend.svg" in charts
    assert (tmp_path / "charts" / "month-trend.png").read_bytes()[
        :8
    ] == b"\x89PNG\r\n\x1a\n"
    stations = run_kavach(env, "stats", "table", "--by", "station", "--format", "csv")
    rows = list(csv.DictReader(stations.stdout.splitlines()))
    assert {r["station"] for r in rows} >= {"Kazhakkoottam"}
    bad = run_kavach(env, "stats", "table", "--by", "week", check=False)
    assert bad.returncode == 2 and "--by 'week'" in bad.stderr
    compared = run_kavach(
        env, "stats", "compare", "--from", "2026-11-01", "--to", "2026-11-30"
    )
    assert "Tips received: 1" in compared.stdout

    out = tmp_path / "packages"
    run_kavach(env, "operation", "packages", "P-Hunt 99.3", "--out", out)
    index = list(csv.DictReader((out / "index.csv").read_text().splitlines()))
    assert {r["station"] for r in index} == {
        "Cyber Police Station, Thiruvananthapuram City",
        "HQ (not routed)",
    }
    html = "".join(p.read_text() for p in out.glob("*.html"))
    assert "Near Temple, Kazhakkoottam" in html and "Anil K" in html
    assert "+919847055555" in html and "BNSS" in html
    # Never a reported file's name or hash in the field's papers.
    everything = "".join(p.read_text() for p in out.iterdir())
    assert "secret-name" not in everything and "e" * 32 not in everything
