"""``kavach persons``: resolve any CSV of person records; make labelled test records."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kavach.cli.context import err, out

app = typer.Typer(
    no_args_is_help=True,
    help="Resolve person records into persons (stateless: files in, files out).",
)


@app.command("dedupe")
def dedupe_command(
    input: Annotated[Path, typer.Argument(help="CSV of person records.")],
    id: Annotated[str, typer.Option("--id", help="The column holding record ids.")],
    map: Annotated[
        list[str],
        typer.Option(
            "--map",
            help="ROLE=COLUMN, repeated. Roles: given_name, surname, full_name, "
            "father_name, dob, age, address, locality, district, postcode, state, "
            "phone, email, handle, imei, id_number.",
        ),
    ],
    out_path: Annotated[
        Path, typer.Option("--out", help="Where to write id,cluster_id.")
    ],
    link: Annotated[
        Path | None,
        typer.Option(help="A second CSV (same columns): link the two files."),
    ] = None,
    pairs: Annotated[
        Path | None,
        typer.Option(help="Also write every link with its explanation here."),
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Match probability a scored link needs.")
    ] = 0.8,
    reference_year: Annotated[
        int | None,
        typer.Option(help="The year ages were recorded in; default: this year."),
    ] = None,
) -> None:
    """Cluster the records of INPUT (or link INPUT and --link) into persons."""
    from kavach.entities.person_csv import parse_roles
    from kavach.services.person_dedupe import DedupeRequest, dedupe

    request = DedupeRequest(
        input, id, parse_roles(map), out_path, link, pairs, threshold, reference_year
    )
    with err.status("reading") as status:
        done = dedupe(request, lambda stage: status.update(escape(stage)))
    out.print(
        f"{done.records:,} records -> {done.clusters:,} clusters "
        f"({done.persons_recurring:,} with more than one record); "
        f"{done.links:,} links ({done.by_identifier:,} on a rare identifier), "
        f"{done.pairs_scored:,} pairs scored",
        highlight=False,
    )
    if done.shared_phones:
        out.print(
            f"{done.shared_phones:,} phone numbers held by many records were "
            "down-weighted (a family or shop phone)",
            highlight=False,
        )
    out.print(f"written: {escape(str(out_path))}", highlight=False)


@app.command("synth")
def synth_command(
    out_path: Annotated[Path, typer.Option("--out", help="CSV to write.")],
    records: Annotated[int, typer.Option(help="How many records.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Same seed, same records.")] = 1,
) -> None:
    """Write labelled synthetic Kerala-style person records (column 'person' is
    the truth) for measuring resolution: initials, house names, Malayalam,
    typos, moved addresses, changed and shared phones. Nobody in it is real."""
    from kavach.entities.synth import COLUMNS, Generator

    if records < 1:
        raise typer.BadParameter("at least one record", param_hint="--records")
    with out_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(Generator(seed).records(records))
    out.print(f"{records:,} records written to {escape(str(out_path))}")
