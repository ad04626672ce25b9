"""``kavach case`` and ``kavach person``: FIRs and seizure reports, who is accused,
arrested and charged, and what the court decided."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape

from kavach.casework_vocabulary import CaseKind, Outcome
from kavach.cli.casework import when
from kavach.cli.context import actor, kavach, out
from kavach.cli.listing import ListFormat, render
from kavach.cli.parsing import optional_day
from kavach.errors import InputError

case_app = typer.Typer(no_args_is_help=True, help="FIRs and seizure reports.")
cases_app = typer.Typer(no_args_is_help=True, help="Across all cases.")
person_app = typer.Typer(no_args_is_help=True, help="Persons in tips, searches, cases.")


@case_app.command("register")
def case_register(
    station: Annotated[str, typer.Option(help='Police station ("name[, district]").')],
    year: Annotated[int, typer.Option()],
    serial: Annotated[int, typer.Option()],
    section: Annotated[list[str], typer.Option(help='e.g. "IT Act 67B".')],
    kind: Annotated[
        CaseKind, typer.Option(help="fir or seizure_report.")
    ] = CaseKind.FIR,
    operation: Annotated[str | None, typer.Option()] = None,
    search: Annotated[int | None, typer.Option()] = None,
    at: Annotated[str | None, typer.Option(help="Registered when (ISO 8601).")] = None,
) -> None:
    """Register an FIR or a seizure report."""
    from kavach.cases.records import NewCase

    new = NewCase(
        kind, station, year, serial, when(at), tuple(section), operation, search
    )
    case_id, number = kavach().services.casework.register_case(new, actor())
    out.print(f"case {case_id}: {number}")


@cases_app.command("due")
def cases_due(
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """The clocks the law sets, soonest first: POCSO's two months, the 90-day
    progress notice, and the ISPs' two-year retention of unanswered IP events."""
    rows = [c.as_dict() for c in kavach().services.casework.due(actor())]
    render(rows, ["case", "clock", "due", "days_left"], format, "nothing due")


@person_app.command("add")
def person_add(
    name: Annotated[str, typer.Argument(help="Name in Latin script.")],
    malayalam: Annotated[str | None, typer.Option(help="Name in Malayalam.")] = None,
    father: Annotated[str | None, typer.Option(help="Father's name.")] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth, YYYY-MM-DD.")] = None,
    age: Annotated[int | None, typer.Option(min=0, max=120)] = None,
    address: Annotated[str | None, typer.Option()] = None,
    pincode: Annotated[str | None, typer.Option()] = None,
    phone: Annotated[list[str] | None, typer.Option()] = None,
    email: Annotated[list[str] | None, typer.Option()] = None,
    imei: Annotated[list[str] | None, typer.Option()] = None,
) -> None:
    """Add a person (accused, arrested, found at a search)."""
    from kavach.cases.records import NewPerson

    identifiers = [
        (kind, None, value)
        for kind, values in (("phone", phone), ("email", email), ("device_id", imei))
        for value in values or ()
    ]
    new = NewPerson(
        name,
        malayalam,
        father,
        optional_day(dob, "--dob"),
        age,
        address,
        pincode,
        tuple(identifiers),
    )
    person_id = kavach().services.casework.add_person(new, actor())
    out.print(f"person {person_id} added")


@person_app.command("list")
def person_list(
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """Every person with identifiers and the records they appear in (audited)."""
    rows = kavach().services.casework.persons(actor())
    render(
        rows,
        [
            "id",
            "name",
            "name_malayalam",
            "father_name",
            "age",
            "address",
            "identifiers",
        ],
        format,
        "no persons recorded",
    )


@case_app.command("list")
def case_list(
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """Every case with its sections, status, arrests and outcomes."""
    rows = kavach().services.casework.cases(actor())
    render(
        rows,
        ["id", "number", "kind", "status", "sections", "arrests", "outcomes"],
        format,
        "no cases registered",
    )


@case_app.command("accuse")
def case_accuse(
    case_id: Annotated[int, typer.Argument()],
    person_id: Annotated[int, typer.Argument()],
) -> None:
    """Name a person accused in a case."""
    kavach().services.casework.accuse(case_id, person_id, actor())
    out.print(f"person {person_id} accused in case {case_id}")
    _repeat_flags([person_id], case_id)


def _repeat_flags(person_ids: list[int], case_id: int) -> None:
    """Say so when the directory holds an earlier conviction of an accused."""
    directory = kavach().services.directory
    for person_id in person_ids:
        for c in directory.earlier_convictions(person_id, case_id, actor()):
            harsher = ", ".join(c.harsher_on_repeat) or "none of its sections"
            out.print(
                f"[red]REPEAT[/red]: person {person_id} is the man convicted in "
                f"{escape(c.case)} on {c.decided_at.date().isoformat()}"
                f"{' (' + escape(c.court) + ')' if c.court else ''}; harsher on a "
                f"repeat: {escape(harsher)} (`kavach directory show`)",
                highlight=False,
            )


@case_app.command("arrest")
def case_arrest(
    case_id: Annotated[int, typer.Argument()],
    person_id: Annotated[int, typer.Argument()],
    by: Annotated[str, typer.Option(help="The arresting officer.")],
    at: Annotated[str | None, typer.Option(help="When (ISO 8601, IST).")] = None,
    place: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record an arrest in a case."""
    from kavach.cases.records import NewArrest

    kavach().services.casework.add_arrest(
        NewArrest(case_id, person_id, when(at), by, place), actor()
    )
    out.print(f"arrest of person {person_id} recorded in case {case_id}")


@case_app.command("charge-sheet")
def case_charge_sheet(
    case_id: Annotated[int, typer.Argument()],
    at: Annotated[str | None, typer.Option(help="Filed when (ISO 8601).")] = None,
    court: Annotated[str | None, typer.Option()] = None,
    number: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record the final report (BNSS s.193) filed in court."""
    kavach().services.casework.add_charge_sheet(
        case_id, when(at), court, number, actor()
    )
    out.print(f"charge sheet recorded for case {case_id}")
    accused = kavach().services.casework.case(case_id, actor())["accused"]
    _repeat_flags([a["id"] for a in accused], case_id)


@case_app.command("notice")
def case_notice(
    case_id: Annotated[int, typer.Argument()],
    at: Annotated[str | None, typer.Option(help="Sent when (ISO 8601).")] = None,
) -> None:
    """Record the progress notice to the informant or victim (BNSS s.193(3)(ii))."""
    kavach().services.casework.record_notice(case_id, when(at), actor())
    out.print(f"progress notice recorded for case {case_id}")


@case_app.command("outcome")
def case_outcome(
    case_id: Annotated[int, typer.Argument()],
    outcome: Annotated[Outcome, typer.Argument()],
    at: Annotated[str | None, typer.Option(help="Decided when (ISO 8601).")] = None,
    person: Annotated[int | None, typer.Option(help="The person it concerns.")] = None,
    court: Annotated[str | None, typer.Option()] = None,
    sentence: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a court outcome; the case is disposed."""
    from kavach.cases.records import NewOutcome

    kavach().services.casework.add_outcome(
        NewOutcome(case_id, outcome, when(at), person, court, sentence), actor()
    )
    out.print(f"outcome {outcome.value} recorded for case {case_id}")


@case_app.command("show")
def case_show(case_id: Annotated[int, typer.Argument()]) -> None:
    """One case whole (JSON): sections, accused, arrests, reports, outcomes, status
    history and its clocks."""
    print(
        json.dumps(
            kavach().services.casework.case(case_id, actor()),
            indent=1,
            ensure_ascii=False,
        )
    )


@case_app.command("sections")
def case_sections(
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """The sections cases are registered under (seeded, editable)."""
    rows = kavach().services.casework.sections()
    render(rows, ["code", "act", "section", "title", "repeat_harsher"], format, "")


@case_app.command("add-section")
def case_add_section(
    code: Annotated[str, typer.Argument(help='How officers write it, "BNS 77".')],
    act: Annotated[str, typer.Option()],
    section: Annotated[str, typer.Option()],
    title: Annotated[str, typer.Option()],
    repeat_harsher: Annotated[bool, typer.Option(help="Harsher on repeat.")] = False,
    pocso: Annotated[bool, typer.Option(help="A POCSO section (two-month clock).")] = (
        False
    ),
) -> None:
    """Add a section to the table."""
    from kavach.cases.sections import Section

    kavach().services.casework.add_section(
        Section(code, act, section, title, repeat_harsher, pocso), actor()
    )
    out.print(f"section {code!r} added")


@person_app.command("link")
def person_link(
    person_id: Annotated[int, typer.Argument()],
    record: Annotated[str, typer.Option(help="tip, search, case, arrest or device.")],
    record_id: Annotated[int, typer.Option("--id", help="The record's id.")],
    role: Annotated[str, typer.Option(help='e.g. "found", "owner", "subject".')],
) -> None:
    """Say that a person appears in a record."""
    if record not in ("tip", "search", "case", "arrest", "device"):
        raise InputError(
            f"--record {record!r}: one of tip, search, case, arrest, device"
        )
    kavach().services.casework.link_person(person_id, record, record_id, role, actor())
    out.print(f"person {person_id} linked to {record} {record_id} as {role}")
