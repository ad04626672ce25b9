"""``kavach audit``: read the audit log."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from kavach.cli.context import err, kavach, out

app = typer.Typer(no_args_is_help=True, help="Read the audit log.")


class AuditFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("list")
def list_command(
    format: Annotated[
        AuditFormat,
        typer.Option("--format", help="table, or json (one array, oldest first)."),
    ] = AuditFormat.TABLE,
) -> None:
    """Every entry of the audit log, oldest first; warns if the chain is broken."""
    audit = kavach().services.audit
    entries = audit.entries()
    if format is AuditFormat.JSON:
        objects = [
            {
                "id": e.id,
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "target": e.target,
                "detail": e.detail,
            }
            for e in entries
        ]
        print(json.dumps(objects, indent=1))
    else:
        table = Table("id", "at", "actor", "action", "target", "detail")
        for e in entries:
            table.add_row(
                str(e.id),
                f"{e.at:%Y-%m-%d %H:%M:%S}",
                e.actor,
                e.action,
                e.target,
                json.dumps(e.detail, sort_keys=True),
            )
        out.print(table)
    broken = audit.broken_at()
    if broken is not None:
        err.print(
            f"[red bold]the audit chain is broken at entry {entries[broken].id}[/]: "
            "an entry was edited or removed"
        )
        raise typer.Exit(1)


@app.command("verify")
def verify_command() -> None:
    """Check that the audit log's hash chain is whole (exit 1 where it breaks)."""
    audit = kavach().services.audit
    entries = audit.entries()
    broken = audit.broken_at()
    if broken is not None:
        err.print(
            f"[red bold]the audit chain is broken at entry {entries[broken].id}[/]: "
            "an entry was edited or removed"
        )
        raise typer.Exit(1)
    out.print(f"the audit chain holds: {len(entries)} entries")
