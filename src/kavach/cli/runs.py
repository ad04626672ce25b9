"""``kavach runs``: the scan runs, with their state, exhibit, who and when."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Column, Table

from kavach.cli.context import kavach, out


class RunsFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def runs_command(
    format: Annotated[
        RunsFormat, typer.Option("--format", help="table, or json (one array).")
    ] = RunsFormat.TABLE,
) -> None:
    """Every scan run, oldest first (ids may be shortened to a unique prefix)."""
    runs = kavach().services.scans.runs()
    if format is RunsFormat.JSON:
        rows = [
            {
                "id": r.id,
                "status": r.status.value,
                "process_gone": r.gone(),
                "exhibit": r.exhibit,
                "case": r.case_ref,
                "started_by": r.started_by,
                "started_at": r.started_at.isoformat(),
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
            }
            for r in runs
        ]
        print(json.dumps(rows, indent=1))
        return
    if not runs:
        out.print("no scan has been run yet")
        return
    table = Table(
        Column("scan run", overflow="fold", min_width=32),
        "status",
        "exhibit",
        "case",
        "by",
        "started",
        "finished",
    )
    for r in runs:
        status = r.status.value
        table.add_row(
            r.id,
            f"{status} (process gone: resume it)" if r.gone() else status,
            r.exhibit,
            r.case_ref or "-",
            r.started_by,
            f"{r.started_at:%Y-%m-%d %H:%M}",
            f"{r.finished_at:%Y-%m-%d %H:%M}" if r.finished_at else "-",
        )
    out.print(table)
