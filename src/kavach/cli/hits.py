"""``kavach hits``: export a scan's hits (CSV, JSON, JSON Lines, VICS); review one."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from kavach.cli.context import actor, err, kavach
from kavach.cli.reviews import (
    AgeBandOption,
    NoteOption,
    SelfProducedOption,
    print_decision,
    print_history,
)
from kavach.services.hits import HitFormat
from kavach.vocabulary import Review

app = typer.Typer(
    invoke_without_command=True,
    help="Print a scan's hits on stdout, or review one (kavach hits review).",
)


@app.callback()
def hits_command(
    context: typer.Context,
    scan: Annotated[
        str | None, typer.Option(help="Scan run id; default: the latest.")
    ] = None,
    format: Annotated[
        HitFormat,
        typer.Option(
            "--format",
            help="csv, json (one array), jsonl (an object a line) or vics.",
        ),
    ] = HitFormat.CSV,
) -> None:
    """Print the hits of a scan run on stdout (each JSON hit has its hit_id)."""
    if context.invoked_subcommand is not None:
        return
    done = kavach().services.hits.export(scan, format, sys.stdout, actor())
    err.print(
        f"{done.records:,} records from scan run {done.scan_id} "
        f"(exhibit {escape(done.exhibit)}, {done.status})",
        highlight=False,
    )


@app.command("review")
def review_command(
    hit_id: Annotated[
        int, typer.Argument(help="The hit_id of 'kavach hits --format json'.")
    ],
    decision: Annotated[
        Review, typer.Option(help="confirmed, rejected (or pending, with --note).")
    ],
    note: NoteOption = None,
    category: Annotated[
        str | None, typer.Option(help="The category, per the list's scheme.")
    ] = None,
    age_band: AgeBandOption = None,
    self_produced: SelfProducedOption = None,
) -> None:
    """Record a decision on a hit, kept with every earlier one (audited)."""
    review = kavach().services.hits.review(
        hit_id, decision, actor(), note, category, age_band, self_produced
    )
    print_decision("hit", review.hit_id, review)


@app.command("history")
def history_command(
    hit_id: Annotated[int, typer.Argument(help="The hit.")],
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Every decision on a hit, oldest first: who, when, what and why."""
    print_history(
        "hit", hit_id, kavach().services.hits.history(hit_id, actor()), format
    )
