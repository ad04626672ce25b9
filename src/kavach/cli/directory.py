"""``kavach directory``: the persons who recur, and the analyst's decisions on them."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from kavach.cli.context import actor, err, kavach, out
from kavach.cli.jsonable import jsonable

if TYPE_CHECKING:
    from kavach.entities.profile import Profile

app = typer.Typer(
    no_args_is_help=True,
    help="The directory of repeat offenders: persons resolved from every record.",
)

Reason = Annotated[str, typer.Option("--reason", help="Why (audited).")]


class ListFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


@app.command("resolve")
def resolve_command(
    full: Annotated[
        bool,
        typer.Option("--full", help="Score every pair again (ids kept by majority)."),
    ] = False,
    threshold: Annotated[float, typer.Option(help="Match probability to link.")] = 0.8,
) -> None:
    """Resolve every person-shaped record (casework persons, tip subjects, ISP
    subscribers) into persons. Records already filed keep their person; new
    ones join one (or start one). Decisions are respected."""
    with err.status("reading") as status:
        run = kavach().services.directory.resolve(
            actor(), full=full, threshold=threshold, stage=status.update
        )
    out.print(
        f"{run.mode.value} run {run.run_id}: {run.records:,} records "
        f"({run.new_records:,} new) in {run.persons:,} persons "
        f"({run.new_persons:,} new); {run.links:,} links, "
        f"{run.pairs_scored:,} pairs scored",
        highlight=False,
    )


def _summary(p: Profile) -> dict[str, Any]:
    repeat = p.repeat()
    names = sorted({form for form, _ in p.names})
    kinds = [e.kind for e in p.events]
    return {
        "person": p.person_id,
        "names": names,
        "episodes": len(p.episodes()),
        "tips": len({e.tip_id for e in p.events if e.kind == "tip"}),
        "cases": len({e.case_id for e in p.events if e.kind == "case"}),
        "arrests": kinds.count("arrest"),
        "operations": sorted({e.operation for e in p.events if e.operation}),
        "convictions": [c.case for c in p.convictions],
        "repeat": None
        if repeat is None
        else f"convicted in {repeat.conviction.case} on "
        f"{repeat.conviction.decided_at.date().isoformat()}; named again in "
        f"{repeat.named_again.text}",
        "groups": sorted(
            {f"{g.name or g.group} ({g.app} {g.group})" for g in p.groups}
        ),
        "records": p.records,
    }


@app.command("list")
def list_command(
    everyone: Annotated[
        bool, typer.Option("--all", help="Every filed person, not only who recurs.")
    ] = False,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """Persons who recur: two or more episodes (cases, tips, searches) or a
    conviction; repeat offenders first, with the conviction the flag rests on."""
    profiles = kavach().services.directory.recurring(actor(), everyone)
    rows = [_summary(p) for p in profiles]
    if format is ListFormat.JSON:
        out.print_json(json.dumps(rows))
        return
    if format is ListFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            [
                "person",
                "names",
                "episodes",
                "tips",
                "cases",
                "arrests",
                "operations",
                "convictions",
                "repeat",
                "records",
            ]
        )
        for r in rows:
            writer.writerow(
                [
                    r["person"],
                    "; ".join(r["names"]),
                    r["episodes"],
                    r["tips"],
                    r["cases"],
                    r["arrests"],
                    "; ".join(r["operations"]),
                    "; ".join(r["convictions"]),
                    r["repeat"] or "",
                    " ".join(r["records"]),
                ]
            )
        return
    table = Table("person", "names", "episodes", "tips", "cases", "arrests", "repeat")
    for r in rows:
        table.add_row(
            str(r["person"]),
            escape("; ".join(r["names"])),
            str(r["episodes"]),
            str(r["tips"]),
            str(r["cases"]),
            str(r["arrests"]),
            escape(r["repeat"] or ("convicted" if r["convictions"] else "")),
        )
    out.print(table)
    out.print(f"{len(rows)} persons", highlight=False)


@app.command("show")
def show_command(
    person: Annotated[int, typer.Argument(help="The directory person's id.")],
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
) -> None:
    """Every name form, identifiers and where each was seen, the timeline,
    exhibits with their hits by category, and the repeat flag."""
    p = kavach().services.directory.profile(person, actor())
    if format is not ListFormat.TABLE:
        data = {**_summary(p), **asdict(p)}
        data["timeline"] = data.pop("events")
        out.print_json(json.dumps(jsonable(data)))
        return
    summary = _summary(p)
    out.print(f"[bold]person {p.person_id}[/bold]: {len(p.records)} records")
    if summary["repeat"]:
        out.print(f"[red]REPEAT[/red]: {escape(summary['repeat'])}", highlight=False)
    for form, record in sorted(set(p.names)):
        out.print(f"  name {escape(form)}  [dim]({record})[/dim]", highlight=False)
    for kind, value, record in sorted(set(p.identifiers)):
        out.print(f"  {kind} {escape(value)}  [dim]({record})[/dim]", highlight=False)
    for e in p.timeline():
        at = e.at.date().isoformat() if e.at else "undated"
        out.print(f"  {at}  {escape(e.text)}  [dim]({e.record})[/dim]", highlight=False)
    for x in p.exhibits:
        hits = ", ".join(f"{c} {n}" for c, n in sorted(x.hits.items())) or "no hits"
        once = ", ".join(f"{c} {n}" for c, n in sorted(x.once_present.items()))
        if once:
            hits += f"; known files once present: {once}"
        out.print(f"  exhibit {escape(x.label)}: {escape(hits)}", highlight=False)
    for g in sorted(set(p.groups), key=lambda g: (g.app, g.group, g.device)):
        out.print(
            f"  group {escape(g.name or g.group)} ({g.app}, {g.role}) on "
            f"{escape(g.device)}  [dim]({g.record})[/dim]",
            highlight=False,
        )


@app.command("explain")
def explain_command(
    person: Annotated[int, typer.Argument(help="The directory person's id.")],
) -> None:
    """Every link of the person's records: fields compared, level, weight, total;
    and links not followed (refused by a decision, or a suggested merge)."""
    for e in kavach().services.directory.explain(person, actor()):
        link = e.link
        why = f"by {link.deterministic}" if link.deterministic else ""
        out.print(
            f"{e.state}: {link.left} ~ {link.right}  p={link.match_probability:.3f} "
            f"weight={link.match_weight:.2f} {why}",
            highlight=False,
        )
        for field, level in sorted(link.levels.items()):
            weight = link.weights.get(field, 0.0)
            out.print(f"    {field}: {escape(level)} ({weight:+.2f})", highlight=False)


@app.command("confirm")
def confirm_command(a: str, b: str, reason: Reason) -> None:
    """Records A and B are one person (their persons merge)."""
    _decided(kavach().services.directory.confirm(a, b, reason, actor()))


@app.command("never")
def never_command(a: str, b: str, reason: Reason) -> None:
    """Records A and B are never one person, whatever later runs score."""
    _decided(kavach().services.directory.never(a, b, reason, actor()))


@app.command("merge")
def merge_command(person_a: int, person_b: int, reason: Reason) -> None:
    """Two persons are one: the one with more records keeps its id."""
    _decided(kavach().services.directory.merge(person_a, person_b, reason, actor()))


@app.command("split")
def split_command(
    person: int,
    records: Annotated[list[str], typer.Argument(help="Record keys to split off.")],
    reason: Reason,
) -> None:
    """Records of a person that are another man: they become a new person."""
    _decided(kavach().services.directory.split(person, records, reason, actor()))


def _decided(run: Any) -> None:
    out.print(
        f"filed: {run.persons} persons now ({run.new_persons} new, "
        f"{run.retired} retired)",
        highlight=False,
    )
