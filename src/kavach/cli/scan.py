"""``kavach scan``: scan a folder or archive against every imported list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kavach.bootstrap import Kavach
from kavach.cli.context import err, kavach, out
from kavach.cli.progress import ScanProgress
from kavach.errors import InputError
from kavach.evidence.limits import Limits
from kavach.evidence.ports import ScanListVersion
from kavach.evidence.scan import ScanSettings, default_workers, run_scan, start_scan
from kavach.reporting.outputs import write_scan_outputs


def scan_command(
    path: Annotated[
        Path | None, typer.Argument(help="Folder or archive to scan.")
    ] = None,
    case: Annotated[str | None, typer.Option(help="Case reference.")] = None,
    exhibit: Annotated[
        str | None, typer.Option(help="Exhibit label; default: the folder's name.")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write hits.csv, files.csv, warnings.csv and report.html here.",
        ),
    ] = None,
    resume: Annotated[str | None, typer.Option(help="Resume this scan run.")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes; default: one a core.")
    ] = None,
    rotations: Annotated[
        bool, typer.Option(help="Match rotated and flipped pictures.")
    ] = True,
    fast_pdq: Annotated[
        bool,
        typer.Option(
            help="Triage pictures with a reduced decode; candidates are "
            "always decided on the full-size reference hash."
        ),
    ] = True,
) -> None:
    """Scan PATH (or resume a run): hash every file, match every list, record hits."""
    app_ = kavach()
    actor = app_.settings.actor()
    if resume:
        if path is not None:
            raise InputError("give PATH or --resume, not both")
        scan_id = resume
        app_.scans.get_run(scan_id)  # fails clearly on an unknown id
        print(f"scan run {scan_id} resumed", flush=True)
        app_.audit.record(actor, "scan.resume", scan_id)
    else:
        if path is None:
            raise InputError("give the folder or archive to scan (or --resume ID)")
        scan_id = _start(app_, path, case, exhibit, rotations, fast_pdq)
        print(f"scan run {scan_id} started", flush=True)
    count = workers or app_.settings.workers or default_workers()
    with ScanProgress("scanning") as progress:
        integrity = run_scan(
            scan_id,
            app_.scans,
            app_.index_root,
            workers=count,
            batch_files=app_.settings.batch_files,
            progress=progress,
        )
    counts = app_.reports.counts(scan_id)
    app_.audit.record(
        actor, "scan.complete", scan_id, {**counts, "integrity": integrity}
    )
    _summary(scan_id, counts, integrity)
    if out_dir is not None:
        report = write_scan_outputs(app_.reports, scan_id, out_dir)
        app_.audit.record(
            actor, "scan.outputs", scan_id, {"out": str(out_dir.resolve())}
        )
        out.print(f"report: {report}")


def _start(
    app_: Kavach,
    path: Path,
    case: str | None,
    exhibit: str | None,
    rotations: bool,
    fast_pdq: bool,
) -> str:
    settings = app_.settings
    infos = app_.hashsets.current_infos()
    if not infos:
        err.print(
            "[yellow]warning[/yellow] no hash lists imported: files are hashed "
            "but nothing can match"
        )
    versions = [
        ScanListVersion(
            i.version_id,
            i.version_uid or "",
            i.name,
            i.version_label or "",
            i.role,
            i.pdq_threshold,
        )
        for i in infos
        if i.version_id is not None
    ]
    scan_settings = ScanSettings(
        pdq_threshold=settings.pdq_threshold,
        pdq_min_quality=settings.pdq_min_quality,
        rotations=rotations,
        pdq_fast=fast_pdq,
        pdq_fast_margin=settings.pdq_fast_margin,
        limits=Limits(
            settings.archive_max_depth,
            settings.archive_max_member_bytes,
            settings.archive_max_ratio,
            settings.archive_ratio_floor_bytes,
        ),
    )
    started = start_scan(
        path, app_.scans, versions, scan_settings, settings.actor(), case, exhibit
    )
    app_.audit.record(
        settings.actor(),
        "scan.start",
        started.scan_id,
        {
            "path": str(path.resolve()),
            "case": case,
            "lists": [v.name for v in versions],
        },
    )
    return started.scan_id


def _summary(scan_id: str, counts: dict[str, int], integrity: str) -> None:
    table = Table(
        "scan run",
        "files",
        "known",
        "files with hits",
        "hits",
        "warnings",
        title="scan complete",
    )
    table.add_row(
        scan_id,
        *(
            f"{counts[k]:,}"
            for k in ("files", "known", "files_hit", "hits", "warnings")
        ),
    )
    out.print(table)
    out.print(f"exhibit integrity (SHA-256): {integrity}")
