"""``kavach demo``: build synthetic lists and an exhibit, import, scan, report."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kavach.cli.context import actor, err, out
from kavach.cli.progress import ScanProgress
from kavach.errors import InputError
from kavach.hashsets.importer import ImportOptions

if TYPE_CHECKING:
    from kavach.bootstrap import Services
    from kavach.demo.accounts import DemoAccount
    from kavach.demo.operation import DemoOperation
    from kavach.settings import Settings

MARKER = ".kavach-demo"  # says the demo made this folder and may empty it


def _fresh_workdir(workdir: Path) -> Path:
    """An empty folder for the demo; only a folder the demo made is ever emptied."""
    if workdir.exists():
        if not workdir.is_dir():
            raise InputError(f"--workdir {workdir}: not a folder")
        if any(workdir.iterdir()):
            if not (workdir / MARKER).is_file():
                raise InputError(
                    f"--workdir {workdir} holds files the demo did not make; "
                    "give an empty or new folder"
                )
            shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / MARKER).write_text("made by kavach demo; emptied by its next run\n")
    return workdir


def demo_command(
    workdir: Annotated[
        Path,
        typer.Option(
            help="Where the demo writes everything: a new or empty folder, or one "
            "an earlier demo made (emptied first)."
        ),
    ] = Path("build/demo"),
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="An empty database for the demo; default: a SQLite file in the "
            "work folder.",
        ),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Then make one account per role and serve the web application "
            "on the demo's data (until stopped).",
        ),
    ] = False,
    port: Annotated[int, typer.Option(help="The port with --serve.")] = 8000,
) -> None:
    """Run the whole triage on benign synthetic pictures and print the report's path."""
    from kavach.bootstrap import build
    from kavach.demo.exhibit import build_demo
    from kavach.settings import Settings

    workdir = _fresh_workdir(workdir.resolve())
    err.print(f"drawing synthetic pictures and lists in {workdir}")
    demo = build_demo(workdir)
    settings = Settings(
        database_url=database_url or f"sqlite:///{workdir / 'kavach-demo.db'}",
        data_dir=workdir / "kavach-data",
    )
    app_ = build(settings)
    who = actor()
    services = app_.services
    try:
        for name, path in demo.lists:
            result = services.hashsets.import_list(
                path, ImportOptions(name=name, source="demo"), who
            )
            out.print(
                f"imported {result.info.entry_count} entries into {name!r} "
                f"({result.format})"
            )
        scan_id = services.scans.start(
            demo.exhibit, who, case_ref="DEMO-001", exhibit="demo-phone"
        )
        out.print(f"scan run {scan_id} started")
        with ScanProgress("scanning") as progress:
            services.scans.run([scan_id], progress=progress)
        counts = services.scans.finish(scan_id, who).counts
        report = services.scans.write_outputs(scan_id, workdir / "out", who)
        operation = _casework(services, who, workdir, demo.lists)
        accounts = []
        if serve:
            from kavach.demo.accounts import add_demo_accounts

            accounts = add_demo_accounts(services, who)
    finally:
        app_.close()
    out.print(
        f"files {counts['files']}, known {counts['known']}, files with hits "
        f"{counts['files_hit']}, hits {counts['hits']}, warnings {counts['warnings']}"
    )
    out.print(
        f"expected: {len(demo.expected_hits)} planted copies, "
        f"{len(demo.expected_warnings)} broken files"
    )
    out.print(operation.summary)
    out.print(
        f"{operation.searches_without_recording} searches without their audio-video "
        f"recording are flagged; {operation.open_referrals} safeguarding referrals "
        "are open"
    )
    out.print(f"charts, search packages and ISP letters in {workdir}")
    print(report)
    if serve:
        _serve(settings, accounts, port, demo.exhibit.parent)


def _serve(
    settings: Settings, accounts: list[DemoAccount], port: int, evidence: Path
) -> None:
    """The web application on the demo's database, with its accounts printed;
    scans started from the web read the demo's folder."""
    import os

    from kavach.cli.context import settings as process_settings
    from kavach.cli.serve import DEMO_SECRET, serve_command

    out.print(f"\nthe demo at http://127.0.0.1:{port}/ — one account per role:")
    for account in accounts:
        where = f" ({account.station})" if account.station else ""
        out.print(
            f"  {account.role.value:<14} {account.name:<22} {account.password}{where}",
            highlight=False,
        )
    # The server's workers read their settings from the environment.
    os.environ["KAVACH_DATABASE_URL"] = settings.database_url
    os.environ["KAVACH_DATA_DIR"] = str(settings.data_dir)
    os.environ.setdefault("KAVACH_SECRET_KEY", DEMO_SECRET)
    os.environ.setdefault("KAVACH_EVIDENCE_ROOT", str(evidence))
    process_settings.cache_clear()  # read again, with the demo's database
    serve_command(port=port, demo=True)


def _casework(
    services: Services, who: str, workdir: Path, lists: list[tuple[str, Path]]
) -> DemoOperation:
    """Tips in three forms, an ISP reply, and the operation they lead to."""
    from kavach.demo.operation import run_operation, write_papers
    from kavach.demo.tips import demo_tips, write_isp_reply, write_tip_files
    from kavach.services.tips import TipImportOptions

    tips = demo_tips(_listed_md5s(lists))
    folder = workdir / "tips"
    write_tip_files(folder, tips)
    imported = services.tips.import_paths([folder], TipImportOptions(), who)
    out.print(
        f"tips: {imported.saved.new} imported from {len(imported.files)} files "
        "(NCMEC JSON, provider XML, NCRB sheet)"
    )
    # The stations ask the ISPs first; the reply below answers those letters.
    letters = services.isp.write_requests(
        workdir / "isp-requests", who, date(2020, 11, 25)
    )
    out.print(
        f"ISP requests: {letters.requests} events to {len(letters.by_isp)} ISP(s), "
        f"letters in {workdir / 'isp-requests'}"
    )
    reply = services.isp.import_reply(
        write_isp_reply(workdir / "isp-reply.csv", tips), who
    )
    out.print(
        f"ISP reply: {reply.attributed} events attributed, {reply.not_attributable} "
        f"not attributable (CGNAT without a port); {reply.tips_placed} tips placed"
    )
    addresses = {
        t.report_id: f"House {int(t.report_id[-2:]) + 1}, Demo Nagar, {t.place[0]}"
        for t in tips
    }
    operation = run_operation(services, who, "demo-phone", addresses, workdir)
    charts = write_papers(services, who, workdir)
    out.print(f"{len(charts)} charts in {workdir / 'charts'}")
    run = services.directory.resolve(who)
    recurring = services.directory.recurring(who)
    repeats = sum(1 for p in recurring if p.repeat() is not None)
    out.print(
        f"directory: {run.records} person records in {run.persons} persons; "
        f"{len(recurring)} recur ({repeats} repeat offender) — "
        "`kavach directory list`"
    )
    return operation


def _listed_md5s(lists: list[tuple[str, Path]]) -> list[str]:
    """MD5s the demo's alert lists hold, so some tips name listed files."""
    import re

    found: list[str] = []
    for _name, path in lists:
        if path.is_file():
            text = path.read_text(errors="replace")
            found += [m.lower() for m in re.findall(r"\b[0-9a-fA-F]{32}\b", text)]
    return found[:8]
