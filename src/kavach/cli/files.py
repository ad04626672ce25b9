"""``kavach files``: a scan's file records, and new material — files no list holds
that an examiner marks — reviewed, kept with its history, exported to partners."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kavach.cli.context import actor, err, kavach, settings
from kavach.cli.listing import ListFormat, render
from kavach.cli.reviews import (
    AgeBandOption,
    NoteOption,
    SelfProducedOption,
    print_decision,
    print_history,
)
from kavach.services.hits import FileFormat
from kavach.services.material import MaterialFormat
from kavach.vocabulary import Review

app = typer.Typer(
    invoke_without_command=True,
    help="Print a scan's file records, or review one as new material.",
)


@app.callback()
def files_command(
    context: typer.Context,
    scan: Annotated[
        str | None, typer.Option(help="Scan run id; default: the latest.")
    ] = None,
    format: Annotated[
        FileFormat,
        typer.Option("--format", help="csv, json (one array) or jsonl."),
    ] = FileFormat.CSV,
) -> None:
    """Print the file records of a scan run on stdout, each with its file_id."""
    if context.invoked_subcommand is not None:
        return
    done = kavach().services.hits.export_files(scan, format, sys.stdout, actor())
    err.print(
        f"{done.records:,} files from scan run {done.scan_id} "
        f"(exhibit {escape(done.exhibit)}, {done.status})",
        highlight=False,
    )


@app.command("review")
def review_command(
    file_id: Annotated[
        int, typer.Argument(help="The file_id of 'kavach files --format json'.")
    ],
    decision: Annotated[
        Review,
        typer.Option(help="confirmed (new material), rejected, or pending + --note."),
    ],
    note: NoteOption = None,
    category: Annotated[
        str | None, typer.Option(help="The category, e.g. a Project VIC code.")
    ] = None,
    age_band: AgeBandOption = None,
    self_produced: SelfProducedOption = None,
) -> None:
    """Mark a file that no list holds as new material, or withdraw the mark; every
    decision is kept (audited)."""
    review = kavach().services.material.review_file(
        file_id, decision, actor(), note, category, age_band, self_produced
    )
    print_decision("file", review.file_id, review)


@app.command("history")
def history_command(
    file_id: Annotated[int, typer.Argument(help="The file.")],
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Every decision on a file, oldest first: who, when, what and why."""
    print_history(
        "file",
        file_id,
        kavach().services.material.file_history(file_id, actor()),
        format,
    )


@app.command("new-material")
def new_material_command(
    format: Annotated[
        MaterialFormat, typer.Option("--format", help="vics (VICS 2.0) or icse.")
    ],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write here; default: stdout.")
    ] = None,
    scan: Annotated[
        str | None, typer.Option(help="Only this scan run; default: every run.")
    ] = None,
) -> None:
    """Export confirmed new material for partners: hashes, metadata and where each
    file was found — never the file."""
    service = kavach().services.material
    agency = settings().agency
    if out_file is None:
        count = service.export_new_material(scan, format, sys.stdout, actor(), agency)
    else:
        with out_file.open("w", encoding="utf-8", newline="") as stream:
            count = service.export_new_material(scan, format, stream, actor(), agency)
    err.print(f"{count:,} files of new material written ({format.value})")


@app.command("cameras")
def cameras_command(
    min_exhibits: Annotated[
        int, typer.Option("--min-exhibits", help="Seen on at least this many.")
    ] = 2,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """Cameras (by serial, from the pictures' metadata) whose pictures lie on
    several exhibits: a link between the exhibits and the people behind them."""
    rows = [
        {
            "camera": link.camera(),
            "serial": link.serial,
            "exhibits": len(link.exhibits),
            "pictures": "; ".join(f"{e}: {n}" for e, n in link.exhibits.items()),
        }
        for link in kavach().services.cameras.links(actor(), min_exhibits)
    ]
    render(
        rows,
        ["camera", "serial", "exhibits", "pictures"],
        format,
        "no camera seen on that many exhibits",
    )
