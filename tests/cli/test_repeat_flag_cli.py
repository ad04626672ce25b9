"""A new FIR naming a man convicted before shows the repeat flag at once."""

from __future__ import annotations

from tests.helpers.cli import Env, run_kavach


def _case(env: Env, serial: int, year: int, at: str) -> int:
    registered = run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Aluva East",
        "--year",
        str(year),
        "--serial",
        str(serial),
        "--section",
        "POCSO 15(1)",
        "--section",
        "IT Act 67B",
        "--at",
        at,
    ).stdout
    return int(registered.split("case ", 1)[1].split(":")[0])


def _person(env: Env, name: str, *extra: str) -> int:
    return int(run_kavach(env, "person", "add", name, *extra).stdout.split()[1])


def test_a_new_fir_and_charge_sheet_show_the_earlier_conviction(
    sqlite_env: Env,
) -> None:
    earlier = _person(
        sqlite_env,
        "Kizhakkedathu Rajesh",
        "--dob",
        "1988-04-12",
        "--father",
        "Gopalan",
        "--phone",
        "+919847012345",
    )
    first = _case(sqlite_env, 11, 2019, "2019-03-02T11:00:00+05:30")
    run_kavach(sqlite_env, "case", "accuse", str(first), str(earlier))
    run_kavach(
        sqlite_env,
        "case",
        "outcome",
        str(first),
        "convicted",
        "--person",
        str(earlier),
        "--at",
        "2019-11-20T11:00:00+05:30",
        "--court",
        "POCSO Court, Ernakulam",
    )
    stranger = _person(sqlite_env, "Anil P.", "--dob", "1975-02-02")
    again = _person(
        sqlite_env, "K. Rajesh", "--dob", "1988-04-12", "--father", "Gopalan"
    )
    second = _case(sqlite_env, 12, 2026, "2026-11-20T11:00:00+05:30")
    clean = run_kavach(sqlite_env, "case", "accuse", str(second), str(stranger)).stdout
    assert "REPEAT" not in clean
    named = run_kavach(sqlite_env, "case", "accuse", str(second), str(again)).stdout
    assert f"REPEAT: person {again} is the man convicted in" in named
    assert "on 2019-11-20 (POCSO Court, Ernakulam)" in named
    assert "harsher on a repeat: IT Act 67B " in named  # not POCSO 15(1)
    sheet = run_kavach(sqlite_env, "case", "charge-sheet", str(second)).stdout
    assert sheet.count("REPEAT") == 1  # the stranger has none
