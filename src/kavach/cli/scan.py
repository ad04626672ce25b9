"""``kavach scan``: scan a folder or archive against every imported list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from kavach.bootstrap import Kavach
from kavach.cli.context import err, kavach, out
from kavach.cli.exhibit import print_checks
from kavach.cli.progress import ByteProgress, ScanProgress
from kavach.errors import InputError, VerificationError
from kavach.evidence.cluster import DaskExecutor
from kavach.evidence.executors import local_executor
from kavach.evidence.intake import read_image, recheck
from kavach.evidence.limits import Limits
from kavach.evidence.ports import ScanListVersion
from kavach.evidence.scan import ScanSettings, default_workers, run_scans, start_scan
from kavach.reporting.outputs import write_scan_outputs


def scan_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Folders or archives to scan (one exhibit each).", show_default=False
        ),
    ] = None,
    case: Annotated[str | None, typer.Option(help="Case reference.")] = None,
    exhibit: Annotated[
        str | None, typer.Option(help="Exhibit label; default: the folder's name.")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write hits.csv, files.csv, warnings.csv and report.html here "
            "(one sub-folder an exhibit when there are several).",
        ),
    ] = None,
    resume: Annotated[str | None, typer.Option(help="Resume this scan run.")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes; default: one a core.")
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Examine on this Dask scheduler (tcp://HOST:8786); its "
            "workers must see the evidence and indexes at the same paths."
        ),
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
    """Scan PATHS (or resume a run): hash every file, match every list, record hits."""
    app_ = kavach()
    actor = app_.settings.actor()
    if resume:
        if paths:
            raise InputError("give PATHS or --resume, not both")
        app_.scans.get_run(resume)  # fails clearly on an unknown id
        scan_ids = [resume]
        print(f"scan run {resume} resumed", flush=True)
        app_.audit.record(actor, "scan.resume", resume)
    else:
        if not paths:
            raise InputError("give the folder or archive to scan (or --resume ID)")
        if exhibit and len(paths) > 1:
            raise InputError("--exhibit names one exhibit; scan several without it")
        scan_ids = []
        for path in paths:
            scan_ids.append(_start(app_, path, case, exhibit, rotations, fast_pdq))
            print(f"scan run {scan_ids[-1]} started", flush=True)
    count = workers or app_.settings.workers or default_workers()
    executor = DaskExecutor(cluster) if cluster else local_executor(count)
    with ScanProgress("scanning") as progress:
        integrity = run_scans(
            scan_ids,
            app_.scans,
            app_.index_root,
            batch_files=app_.settings.batch_files,
            progress=progress,
            executor=executor,
        )
    failed = False
    for scan_id in scan_ids:
        failed |= not _verify_images(app_, scan_id)
        _finish(app_, scan_id, integrity[scan_id], out_dir, several=len(scan_ids) > 1)
    if failed:
        raise VerificationError(
            "an image failed its integrity check after the scan "
            "(see above and the report)"
        )


def _verify_images(app_: Kavach, scan_id: str) -> bool:
    """Check again every registered image the scan read; False when one failed."""
    root = app_.reports.run(scan_id).root
    ok = True
    for registered in app_.images.under(root):
        with ByteProgress(f"verifying {Path(registered.path).name}") as progress:
            now = read_image(Path(registered.path), progress.update)
        checks = recheck(registered, now)
        app_.images.record_checks(registered.id, "after-scan", checks, scan_id)
        ok &= print_checks(registered.path, checks)
    return ok


def _finish(
    app_: Kavach, scan_id: str, integrity: str, out_dir: Path | None, several: bool
) -> None:
    actor = app_.settings.actor()
    counts = app_.reports.counts(scan_id)
    app_.audit.record(
        actor, "scan.complete", scan_id, {**counts, "integrity": integrity}
    )
    _summary(scan_id, counts, integrity)
    if out_dir is not None:
        target = out_dir / app_.reports.run(scan_id).exhibit if several else out_dir
        report = write_scan_outputs(app_.reports, scan_id, target)
        app_.audit.record(
            actor, "scan.outputs", scan_id, {"out": str(target.resolve())}
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
    versions = ScanListVersion.current(infos)
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
        Column("scan run", overflow="fold", min_width=32),
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
