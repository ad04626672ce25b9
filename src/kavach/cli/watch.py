"""``kavach watch``: watch a directory person or an identifier; read the alerts."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kavach.cli.context import actor, kavach, out
from kavach.cli.jsonable import jsonable
from kavach.errors import InputError

app = typer.Typer(
    no_args_is_help=True,
    help="The watchlist: alerts when new records touch a watched person.",
)


class AlertFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("add")
def add_command(
    person: Annotated[int | None, typer.Option(help="A directory person's id.")] = None,
    phone: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    handle: Annotated[
        str | None, typer.Option(help="SERVICE:NAME, a screen name on a service.")
    ] = None,
    imei: Annotated[str | None, typer.Option()] = None,
    group: Annotated[
        str | None, typer.Option(help="APP:GROUP-ID, e.g. whatsapp:9198...@g.us.")
    ] = None,
    station: Annotated[
        str | None, typer.Option(help="The station the alerts also go to.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept with the watch).")] = None,
) -> None:
    """Watch a directory person (whatever identifiers and groups he has when a
    record comes in) or pin one identifier or group."""
    given = {
        "person": person,
        "phone": phone,
        "email": email,
        "screen_name": handle,
        "device_id": imei,
        "group": group,
    }
    chosen = {k: v for k, v in given.items() if v is not None}
    if len(chosen) != 1:
        raise InputError(
            "give exactly one of --person, --phone, --email, --handle, --imei, --group"
        )
    ((kind, value),) = chosen.items()
    service = kavach().services.watch
    if kind == "person":
        watch_id = service.watch_person(int(value), actor(), station, note)
    else:
        watch_id = service.pin(kind, str(value), actor(), station, note)
    out.print(f"watch {watch_id} added", highlight=False)


@app.command("list")
def list_command() -> None:
    """The open watches."""
    table = Table("watch", "watching", "analyst", "station", "since", "note")
    for w in kavach().services.watch.watches(actor()):
        table.add_row(
            str(w["id"]),
            escape(w["label"]),
            escape(w["analyst"]),
            escape(w["station"] or ""),
            w["created_at"].date().isoformat(),
            escape(w["note"] or ""),
        )
    out.print(table)


@app.command("end")
def end_command(watch_id: int) -> None:
    """Stop a watch (its alerts stay)."""
    kavach().services.watch.end(watch_id, actor())
    out.print(f"watch {watch_id} ended", highlight=False)


@app.command("alerts")
def alerts_command(
    station: Annotated[str | None, typer.Option(help="Only this station's.")] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only my watches'.")] = False,
    unseen: Annotated[bool, typer.Option("--unseen", help="Only unseen ones.")] = False,
    seen: Annotated[
        bool, typer.Option("--mark-seen", help="Mark the alerts shown as seen.")
    ] = False,
    format: Annotated[AlertFormat, typer.Option("--format")] = AlertFormat.TABLE,
) -> None:
    """Alerts raised by new records (sweeps first): what was watched, the record
    that touched it and what matched."""
    service = kavach().services.watch
    found = service.alerts(actor(), station, mine, unseen)
    if seen and found:
        service.seen([a["id"] for a in found], actor())
    if format is AlertFormat.JSON:
        out.print_json(json.dumps([jsonable(a) for a in found]))
        return
    table = Table("alert", "watching", "record", "matched", "analyst", "station")
    for a in found:
        table.add_row(
            str(a["id"]),
            escape(a["label"]),
            escape(a["reference"]),
            escape(a["matched"]),
            escape(a["analyst"]),
            escape(a["station"] or ""),
        )
    out.print(table)
    out.print(f"{len(found)} alerts", highlight=False)


@app.command("sweep")
def sweep_command() -> None:
    """Look at the records added since the last sweep and raise their alerts."""
    raised = kavach().services.watch.sweep(actor())
    out.print(f"{raised} new alerts", highlight=False)
