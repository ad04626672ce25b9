"""``kavach hashset``: import and list known-hash lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kavach.cli.context import actor, err, kavach, out, settings
from kavach.cli.progress import CountProgress
from kavach.errors import InputError
from kavach.hashsets.importer import ImportOptions
from kavach.hashsets.ports import HashsetInfo
from kavach.vocabulary import Role

app = typer.Typer(no_args_is_help=True, help="Import and list known-hash lists.")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The list file.")],
    format: Annotated[
        str,
        typer.Option(
            "--format", help="auto, or a format name (see 'kavach hashset formats')."
        ),
    ] = "auto",
    name: Annotated[
        str | None, typer.Option(help="List name; default: file stem.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Who supplied it.")] = None,
    scheme: Annotated[str | None, typer.Option(help="Category scheme.")] = None,
    role: Annotated[Role | None, typer.Option(help="alert, known or tool.")] = None,
    list_version: Annotated[
        str | None,
        typer.Option(
            "--list-version", help="Version or date; default: file date + digest."
        ),
    ] = None,
    pdq_threshold: Annotated[
        int | None,
        typer.Option(
            min=0, max=255, help="PDQ distance for this list (default: the setting)."
        ),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            help="CSV lists: which header holds what, e.g. md5=MD5,sha1=SHA1,"
            "name=FileName (implies --format csv)."
        ),
    ] = None,
) -> None:
    """Import FILE as a new version of a list (all or nothing)."""
    options = ImportOptions(
        format=format,
        name=name,
        source=source,
        scheme=scheme,
        role=role,
        label=list_version,
        pdq_threshold=pdq_threshold,
        columns=columns,
    )
    with CountProgress(f"importing {file.name}") as progress:
        result = kavach().services.hashsets.import_list(
            file, options, actor(), progress.update
        )
    info = result.info
    if result.unchanged:
        out.print(
            f"list {info.name!r} already holds this file as version "
            f"{info.version_label}; nothing imported"
        )
        return
    out.print(
        f"imported {info.entry_count:,} entries into {info.name!r} "
        f"(format {result.format}, role {info.role.value}, scheme {info.scheme}, "
        f"version {info.version_label})"
    )
    if result.deleted:
        out.print(f"{result.deleted:,} entries withdrawn by the partner were removed")
    for warning in result.warnings[:20]:
        err.print(
            f"[yellow]warning[/yellow] {escape(warning.where)}: "
            f"{escape(warning.message)}"
        )
    if len(result.warnings) > 20:
        err.print(f"... and {len(result.warnings) - 20} more warnings")


@app.command("retire")
def retire_command(
    name: Annotated[str, typer.Argument(help="The list's name.")],
) -> None:
    """Keep list NAME for provenance, but match it in no new scan (audited)."""
    info = kavach().services.hashsets.retire(name, actor())
    out.print(
        f"list {info.name!r} retired: kept with its versions, left out of new scans"
    )


@app.command("remove")
def remove_command(
    name: Annotated[str, typer.Argument(help="The list's name.")],
    force: Annotated[
        bool,
        typer.Option(
            help="Remove it even though scans used it: their hits on it go too."
        ),
    ] = False,
) -> None:
    """Delete list NAME, its versions, entries and index files (audited)."""
    removal = kavach().services.hashsets.remove(name, actor(), force)
    out.print(
        f"list {name!r} removed: {removal.versions} version(s), "
        f"{removal.entries:,} entries, {removal.hits:,} hits of "
        f"{removal.scans} scan run(s)"
    )


@app.command("list")
def list_command(
    format: Annotated[
        str, typer.Option("--format", help="table, or json (one array).")
    ] = "table",
) -> None:
    """Lists, their current versions and entry counts."""
    infos = kavach().services.hashsets.lists()
    if format == "json":
        print(json.dumps([_as_dict(i) for i in infos], indent=1))
        return
    if format != "table":
        raise InputError(f"--format {format!r}: table or json")
    if not infos:
        out.print("no hash lists imported yet")
        return
    table = Table(
        "name",
        "state",
        "role",
        "format",
        "scheme",
        "version",
        "entries",
        "md5",
        "sha1",
        "sha256",
        "pdq",
        "pdq threshold",
        "imported",
        "by",
        "source",
    )
    for info in infos:
        state = f"retired {info.retired_at:%Y-%m-%d}" if info.retired_at else "active"
        table.add_row(
            info.name,
            state,
            info.role.value,
            info.format or "-",
            info.scheme,
            info.version_label or "-",
            f"{info.entry_count:,}",
            *(
                f"{info.counts.get(alg, 0):,}"
                for alg in ("md5", "sha1", "sha256", "pdq")
            ),
            str(info.pdq_threshold)
            if info.pdq_threshold is not None
            else f"{settings().pdq_threshold} (default)",
            f"{info.imported_at:%Y-%m-%d %H:%M}" if info.imported_at else "-",
            info.imported_by or "-",
            info.source or "-",
        )
    out.print(table)


@app.command("formats")
def formats_command() -> None:
    """The formats Kavach reads."""
    from kavach.hashsets.formats import default_registry

    table = Table("name", "default role", "description")
    for fmt in default_registry().all():  # no database needed to list them
        table.add_row(fmt.name, fmt.default_role.value, fmt.description)
    out.print(table)


def _as_dict(info: HashsetInfo) -> dict[str, object]:
    return {
        "name": info.name,
        "state": "retired" if info.retired_at else "active",
        "role": info.role.value,
        "format": info.format,
        "scheme": info.scheme,
        "version": info.version_label,
        "entries": info.entry_count,
        "counts": info.counts,
        "pdq_threshold": info.pdq_threshold
        if info.pdq_threshold is not None
        else settings().pdq_threshold,
        "imported_at": info.imported_at.isoformat() if info.imported_at else None,
        "imported_by": info.imported_by,
        "source": info.source,
        "file_sha256": info.file_sha256,
    }
