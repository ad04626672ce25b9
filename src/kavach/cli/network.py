"""``kavach network``: the persons of the directory, and what ties them."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kavach.cli.context import actor, kavach, out

app = typer.Typer(
    no_args_is_help=True,
    help="Networks of persons: shared groups, identifiers, known items.",
)


class NetworkFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("show")
def show_command(
    format: Annotated[NetworkFormat, typer.Option("--format")] = NetworkFormat.TABLE,
    graphml: Annotated[Path | None, typer.Option(help="Write GraphML here.")] = None,
    edges: Annotated[
        Path | None, typer.Option(help="Write a CSV edge list here.")
    ] = None,
    maltego: Annotated[
        Path | None, typer.Option(help="Write a Maltego import table (CSV) here.")
    ] = None,
) -> None:
    """Communities of persons (Louvain on what they share: messaging groups,
    identifiers, known-list items on their exhibits, ISP lines), each tie with
    its evidence. Run `kavach directory resolve` first."""
    from kavach.services.network import Exports

    network = kavach().services.network.network(
        actor(), Exports(graphml, edges, maltego)
    )
    label = {n: a["label"] for n, a in network.nodes.items()}
    if format is NetworkFormat.JSON:
        data = {
            "nodes": [{"id": n, **a} for n, a in network.nodes.items()],
            "edges": [vars(e) for e in network.edges],
            "communities": [
                {"persons": c.persons, "ties": [vars(e) for e in c.ties]}
                for c in network.communities
            ],
        }
        out.print_json(json.dumps(data))
        return
    out.print(
        f"{len(network.nodes)} nodes, {len(network.edges)} edges, "
        f"{len(network.communities)} communities",
        highlight=False,
    )
    for number, community in enumerate(network.communities, start=1):
        names = ", ".join(f"{label[p]} [{p}]" for p in community.persons)
        out.print(
            f"\n[bold]community {number}[/bold]: {escape(names)}", highlight=False
        )
        for e in community.ties:
            out.print(
                f"  {escape(label[e.source])} —{e.kind}→ {escape(label[e.target])}: "
                f"{escape('; '.join(e.evidence))}",
                highlight=False,
            )
    for path in (graphml, edges, maltego):
        if path:
            out.print(f"wrote {path}", highlight=False)
