"""``kavach unit``: the districts, police districts and stations tips are routed to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kavach.cli.context import actor, kavach, out
from kavach.cli.listing import ListFormat, render

app = typer.Typer(no_args_is_help=True, help="Districts, police districts, stations.")


@app.command("list")
def list_command(
    format: Annotated[
        ListFormat, typer.Option("--format", help="table, csv, or json (one array).")
    ] = ListFormat.TABLE,
) -> None:
    """Every police district with its revenue district and cyber police station."""
    units = kavach().services.units.directory()
    rows = [
        {
            "code": p.code,
            "police_district": p.name,
            "revenue_district": p.revenue_district,
            "cyber_station": p.cyber_station,
            "stations": list(p.stations),
            "localities": list(p.localities),
            "default": p.default_for_district,
        }
        for p in units.all_police_districts()
    ]
    render(
        rows,
        ["code", "police_district", "revenue_district", "cyber_station", "stations"],
        format,
        "no units loaded: run kavach init",
    )


@app.command("export")
def export_command(
    file: Annotated[Path, typer.Argument(help="TOML file to write.")],
) -> None:
    """Write the unit file, to edit and load back."""
    file.write_text(kavach().services.units.directory().to_toml(), encoding="utf-8")
    out.print(f"unit file written to {file}")


@app.command("load")
def load_command(
    file: Annotated[Path, typer.Argument(help="An edited unit file.")],
) -> None:
    """Add or update districts and stations from a unit file (nothing is removed)."""
    units = kavach().services.units.load(file, actor())
    out.print(
        f"{len(units.all_revenue_districts())} revenue districts, "
        f"{len(units.all_police_districts())} police districts loaded"
    )


@app.command("add-station")
def add_station_command(
    police_district: Annotated[str, typer.Argument(help="Code or name.")],
    name: Annotated[str, typer.Argument(help="The station's name.")],
) -> None:
    """Add a police station to a police district."""
    kavach().services.units.add_station(police_district, name, actor())
    out.print(f"station {name!r} added")


@app.command("add-locality")
def add_locality_command(
    police_district: Annotated[str, typer.Argument(help="Code or name.")],
    locality: Annotated[str, typer.Argument(help="A town or locality it covers.")],
) -> None:
    """Route addresses naming LOCALITY to this police district."""
    kavach().services.units.add_locality(police_district, locality, actor())
    out.print(f"locality {locality!r} added")
