"""``kavach operation``, ``search``, ``seizure``, ``custody``, ``stats``:
what the unit did and what came of it."""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from kavach.casework_vocabulary import CustodyStep
from kavach.cli.context import actor, err, kavach, out, sweep_watchlist
from kavach.cli.listing import ListFormat, render
from kavach.cli.parsing import day, moment, optional_day
from kavach.errors import InputError
from kavach.examination.material import MaterialGrouping

E = TypeVar("E", bound=StrEnum)

operation_app = typer.Typer(no_args_is_help=True, help="Operations (planned raids).")
search_app = typer.Typer(no_args_is_help=True, help="Searches of a place.")
seizure_app = typer.Typer(no_args_is_help=True, help="Seized devices (exhibits).")
custody_app = typer.Typer(no_args_is_help=True, help="A device's chain of custody.")
stats_app = typer.Typer(no_args_is_help=True, help="Figures.")


def when(text: str | None, option: str = "--at") -> datetime:
    return moment(text, option)


@operation_app.command("create")
def operation_create(
    name: Annotated[str, typer.Argument(help='e.g. "P-Hunt 20.2".')],
    starts: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")],
    ends: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD.")],
    approved_by: Annotated[
        str | None, typer.Option(help="Approving supervisor.")
    ] = None,
    district: Annotated[
        list[str] | None, typer.Option(help="Districts covered.")
    ] = None,
) -> None:
    """Plan an operation."""
    from kavach.cases.records import NewOperation

    new = NewOperation(
        name,
        day(starts, "--starts"),
        day(ends, "--ends"),
        tuple(district or ()),
        approved_by,
    )
    kavach().services.casework.create_operation(new, actor())
    out.print(f"operation {name!r} created")


@operation_app.command("add-targets")
def operation_add_targets(
    name: Annotated[str, typer.Argument(help="The operation.")],
    targets: Annotated[list[int], typer.Argument(help="Target ids.")],
) -> None:
    """Gather targets into an operation."""
    added = kavach().services.casework.add_targets(name, targets, actor())
    out.print(f"{added} targets added to {name!r}")


@search_app.command("record")
def search_record(
    location: Annotated[str, typer.Argument(help="The address searched.")],
    team_lead: Annotated[str, typer.Option(help="Who led the team.")],
    operation: Annotated[str | None, typer.Option(help="The operation.")] = None,
    station: Annotated[str | None, typer.Option(help="The police station.")] = None,
    target: Annotated[int | None, typer.Option(help="The target searched for.")] = None,
    at: Annotated[
        str | None, typer.Option(help="When it began (ISO 8601, IST).")
    ] = None,
    witness: Annotated[list[str] | None, typer.Option(help="A witness.")] = None,
    recording: Annotated[
        str | None, typer.Option(help="The BNSS s.105 recording's file name.")
    ] = None,
    recording_sha256: Annotated[str | None, typer.Option(help="Its SHA-256.")] = None,
    forwarded_at: Annotated[
        str | None, typer.Option(help="When the recording went to the magistrate.")
    ] = None,
    outcome: Annotated[str | None, typer.Option(help="What was found.")] = None,
    child_age: Annotated[
        list[int] | None,
        typer.Option(
            help="Age of a child living at the place (one each; opens a "
            "safeguarding referral)."
        ),
    ] = None,
) -> None:
    """Record a search (the board flags one without its audio-video recording)."""
    from kavach.cases.records import NewSearch

    new = NewSearch(
        operation,
        location,
        when(at),
        team_lead,
        station,
        target,
        witnesses=tuple(witness or ()),
        recording_file=recording,
        recording_sha256=recording_sha256,
        recording_forwarded_at=(
            when(forwarded_at, "--forwarded-at") if forwarded_at else None
        ),
        outcome=outcome,
        children=tuple(child_age or ()),
    )
    search_id = kavach().services.casework.record_search(new, actor())
    sweep_watchlist()
    out.print(f"search {search_id} recorded")
    if not recording_sha256:
        out.print("[yellow]no audio-video recording recorded (BNSS s.105)[/yellow]")


@seizure_app.command("add")
def seizure_add(
    label: Annotated[str, typer.Argument(help="Exhibit label, unique.")],
    device_type: Annotated[str, typer.Option("--type", help="phone, laptop, ...")],
    search: Annotated[
        int | None, typer.Option(help="The search it was seized in.")
    ] = None,
    make: Annotated[str | None, typer.Option()] = None,
    model: Annotated[str | None, typer.Option()] = None,
    imei: Annotated[str | None, typer.Option()] = None,
    serial: Annotated[str | None, typer.Option()] = None,
    seal: Annotated[str | None, typer.Option(help="Seal number.")] = None,
    at: Annotated[str | None, typer.Option(help="When (ISO 8601, IST).")] = None,
    owner: Annotated[
        int | None, typer.Option(help="The person (id) it was seized from.")
    ] = None,
) -> None:
    """Record a seized device; its custody log starts with the seizure."""
    from kavach.cases.records import NewDevice

    new = NewDevice(
        label,
        device_type,
        when(at),
        search,
        make,
        model,
        imei,
        serial,
        seal,
        owner,
    )
    kavach().services.casework.seize_device(new, actor())
    sweep_watchlist()
    out.print(f"device {label!r} seized")


@custody_app.command("add")
def custody_add(
    label: Annotated[str, typer.Argument(help="The device.")],
    step: Annotated[CustodyStep, typer.Argument(help="The custody step.")],
    by: Annotated[str | None, typer.Option(help="Who (default: you).")] = None,
    place: Annotated[str | None, typer.Option()] = None,
    remarks: Annotated[str | None, typer.Option()] = None,
    at: Annotated[str | None, typer.Option(help="When (ISO 8601, IST).")] = None,
) -> None:
    """Add a step to a device's custody log (it only ever grows)."""
    from kavach.cases.records import NewCustodyStep

    new = NewCustodyStep(label, step, when(at), by or actor(), place, remarks)
    kavach().services.casework.add_custody(new, actor())
    out.print(f"{step.value} recorded for {label!r}")


@custody_app.command("log")
def custody_log(
    label: Annotated[str, typer.Argument(help="The device.")],
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """The device's chain of custody, oldest first."""
    rows = [
        {
            "step": e.step,
            "at": e.at.isoformat(),
            "by": e.by,
            "place": e.place,
            "remarks": e.remarks,
            "recorded_by": e.recorded_by,
        }
        for e in kavach().services.casework.custody_log(label, actor())
    ]
    render(rows, ["step", "at", "by", "place", "remarks"], format, "no custody steps")


@stats_app.command("operation")
def stats_operation(
    name: Annotated[str, typer.Argument(help="The operation.")],
    summary: Annotated[bool, typer.Option(help="The one-line press summary.")] = False,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """An operation's figures: locations, devices, cases, arrests."""
    tally = kavach().services.casework.tally(name, actor())
    if summary:
        out.print(tally.summary())
        return
    row = {
        "operation": name,
        "locations": tally.locations,
        "searches": tally.searches,
        "devices": tally.devices,
        "firs": tally.firs,
        "seizure_reports": tally.seizure_reports,
        "cases": tally.cases,
        "arrests": tally.arrests,
        "searches_without_recording": tally.searches_without_recording,
        "open_referrals": tally.open_referrals,
    }
    render([row], list(row), format, "")


@operation_app.command("board")
def operation_board(
    name: Annotated[str, typer.Argument(help="The operation.")],
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """Every search of the operation; one without its recording is flagged."""
    rows = kavach().services.casework.board(name, actor())
    for row in rows:
        row["recording"] = "yes" if row["recorded"] else "MISSING (BNSS s.105)"
    render(
        rows,
        [
            "search",
            "station",
            "location",
            "at",
            "team_lead",
            "recording",
            "devices",
            "open_referrals",
        ],
        format,
        "no searches recorded",
    )


@search_app.command("close-referral")
def close_referral(
    child_ref: Annotated[str, typer.Argument(help='The referral, e.g. "S12-C1".')],
    outcome: Annotated[str, typer.Option(help="What the committee decided.")],
) -> None:
    """Close a safeguarding referral with the Child Welfare Committee's outcome."""
    kavach().services.casework.close_referral(child_ref, outcome, actor())
    out.print(f"referral {child_ref} closed")


@seizure_app.command("owner")
def seizure_owner(
    label: Annotated[str, typer.Argument(help="The seized device.")],
    person: Annotated[int, typer.Option(help="The person (id) it was seized from.")],
) -> None:
    """Record the person a device was seized from."""
    kavach().services.casework.set_device_owner(label, person, actor())
    out.print(f"device {label!r} seized from person {person}")


@seizure_app.command("link")
def seizure_link(
    label: Annotated[str, typer.Argument(help="The seized device.")],
    exhibit: Annotated[str, typer.Option(help="The exhibit label it was scanned as.")],
) -> None:
    """Point a seized device at its forensic images and scans."""
    kavach().services.casework.link_exhibit(label, exhibit, actor())
    out.print(f"device {label!r} linked to exhibit {exhibit!r}")


@stats_app.command("table")
def stats_table(
    by: Annotated[str, typer.Option(help="month, district, station or operation.")] = (
        "month"
    ),
    start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD.")] = None,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
    charts: Annotated[
        Path | None, typer.Option(help="Folder for PNG and SVG charts.")
    ] = None,
) -> None:
    """Tips received and routed, searches and locations, devices, cases, arrests,
    charge sheets and convictions, per month, district, station or operation."""
    from kavach.reporting.casework_stats import Grouping

    grouping = _choice(Grouping, by, "--by")
    service = kavach().services.stats
    table = service.table(
        grouping, optional_day(start, "--from"), optional_day(end, "--to"), actor()
    )
    if format is ListFormat.CSV:
        table.to_csv(sys.stdout)
    else:
        render(table.as_records(), table.columns, format, "nothing recorded")
    if charts is not None:
        for path in service.charts(table, charts, f"Kavach: by {grouping.value}"):
            err.print(f"chart: {path}")


@stats_app.command("compare")
def stats_compare(
    start: Annotated[str, typer.Option("--from", help="YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="YYYY-MM-DD.")],
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """A period against the previous period of the same length."""
    comparison = kavach().services.stats.compare(
        day(start, "--from"), day(end, "--to"), actor()
    )
    if format is ListFormat.TABLE:
        for sentence in comparison.sentences():
            out.print(sentence)
        return
    records = comparison.as_records()
    render(records, list(records[0]) if records else [], format, "")


@operation_app.command("packages")
def operation_packages(
    name: Annotated[str, typer.Argument(help="The operation.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the packages.")],
) -> None:
    """One search package per station: CSV and printable HTML (never any material)."""
    paths = kavach().services.stats.write_packages(name, out_dir, actor())
    out.print(f"{len(paths)} files written to {out_dir}")


def _choice(enum: type[E], value: str, option: str) -> E:
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(m.value for m in enum)
        raise InputError(f"{option} {value!r}: one of {known}") from None


@stats_app.command("material")
def stats_material(
    by: Annotated[
        MaterialGrouping | None,
        typer.Option("--by", help="exhibit, operation or month (of the seizure)."),
    ] = None,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """Confirmed material by category and age band: each distinct file of an
    exhibit once, by its latest decision (unreviewed and rejected files are not
    counted)."""
    counts = kavach().services.material.counts(actor(), by)
    columns = ["category", "age_band", "count"]
    if by is not None:
        columns.insert(0, by.value)
    rows = [
        ({by.value: c.group} if by is not None else {})
        | {"category": c.category, "age_band": c.age_band, "count": c.count}
        for c in counts
    ]
    render(rows, columns, format, "no confirmed material")
