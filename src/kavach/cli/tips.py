"""``kavach tips`` and ``kavach targets``: reports in, the people behind them out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kavach.cli.context import actor, err, kavach, out, sweep_watchlist
from kavach.cli.listing import ListFormat, render

app = typer.Typer(
    no_args_is_help=True, help="Import and list tips (CyberTipline reports)."
)
targets_app = typer.Typer(
    no_args_is_help=True, help="Targets: tips that share identifiers."
)

_FORMAT = typer.Option("--format", help="table, csv, or json (one array).")
_LIMIT = typer.Option("--limit", min=1, help="Show at most this many.")


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders.")],
    format: Annotated[
        str,
        typer.Option("--format", help="auto, ncmec-json, cybertip-xml, ncrb-sheet."),
    ] = "auto",
    source: Annotated[
        str | None, typer.Option(help="Who sent the reports (default NCMEC).")
    ] = None,
    columns: Annotated[
        Path | None, typer.Option(help="MAP.toml naming a sheet's columns.")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the valid reports, list the rejected.")
    ] = False,
) -> None:
    """Import reports: the same file twice changes nothing; a re-sent report updates."""
    from kavach.services.tips import TipImportOptions

    options = TipImportOptions(format, source, columns, skip_invalid)
    result = kavach().services.tips.import_paths(paths, options, actor())
    sweep_watchlist()
    saved = result.saved
    out.print(
        f"{len(result.files)} files: {saved.new} new tips, {saved.updated} updated, "
        f"{saved.unchanged} unchanged"
    )
    if result.attachments:
        out.print(
            f"{result.attachments} attachments recorded by SHA-256 (never opened)"
        )
    for line in result.listed:
        out.print(escape(line))
    for path in result.skipped:
        why = "" if path.endswith(")") else ": not a tip format"
        err.print(f"[yellow]skipped:[/yellow] {escape(path)}{why}")
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    for rejected in result.rejected:
        err.print(
            f"[red]rejected:[/red] {escape(rejected.where)}: {escape(rejected.reason)}"
        )


@app.command("list")
def list_command(
    format: Annotated[ListFormat, _FORMAT] = ListFormat.TABLE,
    limit: Annotated[int | None, _LIMIT] = None,
) -> None:
    """Every tip (oldest first): where it was placed, how, and its target."""
    rows = [t.as_dict() for t in kavach().services.tips.tips(actor(), limit)]
    columns = [
        "source",
        "report_id",
        "received",
        "district",
        "police_district",
        "station",
        "located_by",
        "target_id",
        "files",
        "placement",
    ]
    render(rows, columns, format, "no tips yet")


@targets_app.command("list")
def targets_command(
    format: Annotated[ListFormat, _FORMAT] = ListFormat.TABLE,
    limit: Annotated[int | None, _LIMIT] = None,
) -> None:
    """Every target, highest score first, with the score's explanation."""
    from kavach.tips.scoring import Factor, explain

    rows = []
    for t in kavach().services.tips.targets(actor(), limit):
        row = t.as_dict()
        factors = [
            Factor(str(f["factor"]), str(f["value"]), int(f["points"]))
            for f in t.explanation
        ]
        row["why"] = explain(factors)
        rows.append(row)
    if format is not ListFormat.JSON:
        for row in rows:
            row["identifiers"] = [
                f"{i['value']} ({i['service']})" if i["service"] else i["value"]
                for i in row["identifiers"]
            ]
    render(
        rows,
        ["id", "score", "tips", "identifiers", "district", "station", "why"],
        format,
        "no targets yet",
    )
