"""``kavach isp``: requests to ISPs out, their replies in."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kavach.cli.context import actor, kavach, out, sweep_watchlist

app = typer.Typer(no_args_is_help=True, help="ISP requests and replies.")


@app.command("requests")
def requests_command(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the letters.")],
    station: Annotated[str | None, typer.Option(help="Who signs the letters.")] = None,
) -> None:
    """For every IP event not yet attributed: the request per ISP (CSV and letter)."""
    result = kavach().services.isp.write_requests(
        out_dir, actor(), date.today(), station
    )
    out.print(f"{result.requests} requests to {len(result.by_isp)} ISPs in {out_dir}")
    for isp, count in result.by_isp.items():
        out.print(f"  {isp}: {count}")
    if result.past_retention:
        out.print(
            f"{result.past_retention} events are older than the ISPs' two-year "
            "retention: the subscriber data may be gone"
        )


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A reply, CSV or XLSX.")],
    columns: Annotated[
        str | None,
        typer.Option(help="MAP.toml naming the columns, or 'dot-ipdr' for DoT's IPDR."),
    ] = None,
    isp: Annotated[str | None, typer.Option(help="The ISP that replied.")] = None,
) -> None:
    """Read an ISP reply and attribute the IP events it answers."""
    from kavach.isp.layouts import load_reply_columns, shipped_layout

    mapping = None
    if columns:
        mapping = (
            load_reply_columns(Path(columns))
            if Path(columns).is_file()
            else shipped_layout(columns)
        )
    result = kavach().services.isp.import_reply(file, actor(), mapping, isp)
    sweep_watchlist()
    if result.already_imported:
        out.print(f"{file} was imported before; events attributed again")
    out.print(
        f"{result.windows} windows: {result.attributed} events attributed, "
        f"{result.not_attributable} not attributable, {result.ambiguous} ambiguous; "
        f"{result.tips_placed} tips placed"
    )
