"""The ``kavach`` command: the Typer app and its one error handler.

Command modules import only what parsing needs; each command imports the heavy
parts (storage, image and video libraries) when it runs, so ``kavach --help``
answers at once.
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from kavach import __version__
from kavach.cli import (
    audit,
    backup,
    cases,
    casework,
    directory,
    exhibit,
    failures,
    files,
    hashset,
    hits,
    isp,
    network,
    persons,
    phone,
    report,
    tips,
    unit,
    users,
    watch,
)
from kavach.cli.context import actor, err, kavach, out, settings
from kavach.cli.demo import demo_command
from kavach.cli.hash import hash_command
from kavach.cli.runs import runs_command
from kavach.cli.scan import scan_command
from kavach.cli.serve import serve_command
from kavach.errors import KavachError

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Kavach: hash lists in, an exhibit scanned, hits out.",
)
app.add_typer(hashset.app, name="hashset")
app.add_typer(exhibit.app, name="exhibit")
app.add_typer(hits.app, name="hits")
app.add_typer(files.app, name="files")
app.add_typer(report.app, name="report")
app.add_typer(audit.app, name="audit")
app.add_typer(tips.app, name="tips")
app.add_typer(tips.targets_app, name="targets")
app.add_typer(isp.app, name="isp")
app.add_typer(unit.app, name="unit")
app.add_typer(users.app, name="users")
app.add_typer(casework.operation_app, name="operation")
app.add_typer(casework.search_app, name="search")
app.add_typer(casework.seizure_app, name="seizure")
app.add_typer(casework.custody_app, name="custody")
app.add_typer(cases.case_app, name="case")
app.add_typer(backup.app, name="backup")
app.command("restore")(backup.restore_command)
app.add_typer(cases.cases_app, name="cases")
app.add_typer(casework.stats_app, name="stats")
app.add_typer(cases.person_app, name="person")
app.add_typer(persons.app, name="persons")
app.add_typer(phone.app, name="phone")
app.add_typer(directory.app, name="directory")
app.add_typer(network.app, name="network")
app.add_typer(watch.app, name="watch")
app.command("scan")(scan_command)
app.command("hash")(hash_command)
app.command("runs")(runs_command)
app.command("demo")(demo_command)
app.command("serve")(serve_command)


@app.callback()
def check_settings() -> None:
    """Kavach: hash lists in, an exhibit scanned, hits out."""
    settings()  # every command refuses a malformed KAVACH_* setting at once


@app.command("init")
def init_command() -> None:
    """Create the database (or upgrade it) and its data folder."""
    app_ = kavach()
    out.print(f"database: {app_.settings.database_url}")
    out.print(f"data folder: {app_.settings.resolved_data_dir()}")
    app_.services.casework.seed_sections(actor())
    if app_.services.units.ensure_loaded(actor()):
        out.print("unit file loaded: Kerala's districts, police districts and stations")
    for name in app_.services.maintenance.clean_index_folders(actor()):
        out.print(f"removed index folder {name}: no list version owns it")


@app.command("doctor")
def doctor_command() -> None:
    """Check the database and data folder; remove index folders nothing owns."""
    health = kavach().services.maintenance.check(actor())
    for name in health.removed:
        out.print(f"removed index folder {name}: no list version owns it")
    for problem in health.problems:
        err.print(f"[red]problem:[/red] {escape(problem)}", highlight=False)
    if health.problems:
        raise typer.Exit(1)
    out.print("no problems found")


@app.command("version")
def version_command() -> None:
    """Print Kavach's version."""
    out.print(__version__)


def main() -> None:
    """Entry point: every ``KavachError`` becomes one clear line and its exit code."""
    try:
        app()
    except KavachError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted; a scan can be resumed with 'kavach scan --resume ID'")
        sys.exit(130)
    except Exception as exc:  # not raised on purpose: one line unless debugging
        if failures.debugging():
            raise
        err.print(f"[red]error:[/red] {escape(failures.describe(exc))}")
        sys.exit(failures.exit_code(exc))
