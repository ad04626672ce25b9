"""``kavach hits``: export a scan's hits as CSV, JSON Lines or VICS 2.0."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from kavach.cli.context import kavach
from kavach.reporting.exports import write_hits_csv, write_hits_json, write_hits_vics


class HitFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    VICS = "vics"


def hits_command(
    scan: Annotated[
        str | None, typer.Option(help="Scan run id; default: the latest.")
    ] = None,
    format: Annotated[HitFormat, typer.Option("--format")] = HitFormat.CSV,
) -> None:
    """Print the hits of a scan run on stdout."""
    app_ = kavach()
    scan_id = scan or app_.scans.latest_run_id()
    rows = app_.reports.hits(scan_id)
    if format is HitFormat.CSV:
        count = write_hits_csv(sys.stdout, rows)
    elif format is HitFormat.JSON:
        count = write_hits_json(sys.stdout, rows)
    else:
        run = app_.reports.run(scan_id)
        count = write_hits_vics(sys.stdout, rows, source_id=run.exhibit)
    app_.audit.record(
        app_.settings.actor(),
        "hits.export",
        scan_id,
        {"format": format.value, "records": count},
    )
