"""``kavach scan``: scan folders, archives or images against every imported list."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from kavach.cli.context import actor, err, kavach, out, sweep_watchlist
from kavach.cli.exhibit import print_checks
from kavach.cli.progress import ImageProgress, JsonProgress, ScanProgress
from kavach.errors import InputError, VerificationError
from kavach.evidence.keys import KeyRing


class ScanProgressKind(StrEnum):
    BAR = "bar"
    JSONL = "jsonl"


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
    progress: Annotated[
        ScanProgressKind,
        typer.Option(
            "--progress",
            help="bar, or jsonl: one JSON object on stderr per committed batch.",
        ),
    ] = ScanProgressKind.BAR,
    lists: Annotated[
        str | None,
        typer.Option(
            "--lists", help="Match only these lists (names, comma-separated)."
        ),
    ] = None,
    exclude_lists: Annotated[
        str | None,
        typer.Option(
            "--exclude-lists", help="Leave these lists out (comma-separated)."
        ),
    ] = None,
    allow_empty: Annotated[
        bool,
        typer.Option(
            help="Scan even with no list imported, and accept an exhibit with no "
            "file (to list and hash only)."
        ),
    ] = False,
    fast_pdq: Annotated[
        bool,
        typer.Option(
            help="Triage pictures with a reduced decode; candidates are "
            "always decided on the full-size reference hash."
        ),
    ] = True,
    unletterbox: Annotated[
        bool,
        typer.Option(
            help="Also hash pictures with uniform borders (letterboxing) cut off."
        ),
    ] = True,
    key: Annotated[
        list[str] | None,
        typer.Option(
            "--key",
            help="VOLUME=SECRET: a BitLocker recovery password, a passphrase or a "
            "key file for an encrypted volume (VOLUME as reports show it, "
            "disk.E01#p2; an image for all its volumes; * for any). Repeatable; "
            "never stored or logged.",
            show_default=False,
        ),
    ] = None,
    keys_file: Annotated[
        Path | None,
        typer.Option(
            "--keys-file",
            help="A file of VOLUME=SECRET lines (keeps secrets out of the shell "
            "history).",
        ),
    ] = None,
) -> None:
    """Scan PATHS (or resume a run): hash every file, match every list, record hits."""
    if out_dir is not None:
        from kavach.reporting.outputs import check_out_dir

        check_out_dir(out_dir)  # before hours of scanning, not after
    keys = _keys(key, keys_file)
    scans = kavach().services.scans
    who = actor()
    if resume:
        if paths:
            raise InputError("give PATHS or --resume, not both")
        scan_ids = [scans.resume(resume, who)]
        print(f"scan run {scan_ids[0]} resumed", flush=True)
    else:
        if not paths:
            raise InputError("give the folder or archive to scan (or --resume ID)")
        if exhibit and len(paths) > 1:
            raise InputError("--exhibit names one exhibit; scan several without it")
        only, leave = _names(lists), _names(exclude_lists)
        if not scans.lists_now(only, leave) and allow_empty:
            err.print(
                "[yellow]warning[/yellow] no hash lists imported: files are hashed "
                "but nothing can match"
            )
        settings = scans.default_settings(rotations, fast_pdq, unletterbox)
        scan_ids = []
        for path in paths:
            scan_ids.append(
                scans.start(
                    path, who, case, exhibit, settings, allow_empty, only, leave
                )
            )
            print(f"scan run {scan_ids[-1]} started", flush=True)
    executor = None
    if cluster:
        from kavach.evidence.cluster import DaskExecutor

        executor = DaskExecutor(cluster)
    display = ScanProgress("scanning") if progress is ScanProgressKind.BAR else None
    with display or JsonProgress() as shown:
        scans.run(
            scan_ids,
            workers=workers,
            executor=executor,
            progress=shown,
            keys=keys,
            actor=who,
        )
    images_ok = True
    empty = []
    for scan_id in scan_ids:
        with ImageProgress("verifying") as image_progress:
            outcome = scans.finish(scan_id, who, image_progress.update)
        sweep_watchlist()
        for image, checks in outcome.checks.items():
            images_ok &= print_checks(image, checks)
        _summary(scan_id, outcome.counts, outcome.integrity)
        if out_dir is not None:
            several = len(scan_ids) > 1
            target = out_dir / outcome.exhibit if several else out_dir
            report = scans.write_outputs(scan_id, target, who)
            out.print(f"report: {report}")
        if not allow_empty and outcome.counts["files"] == 0:
            empty.append(outcome)
    if not images_ok:
        raise VerificationError(
            "an image failed its integrity check after the scan "
            "(see above and the report)"
        )
    for outcome in empty:
        outcome.refuse_empty()


def _keys(given: list[str] | None, keys_file: Path | None) -> KeyRing:
    from kavach.evidence.keys import parse_key, read_keys_file

    keys = [parse_key(text) for text in given or []]
    if keys_file is not None:
        keys += read_keys_file(keys_file)
    return KeyRing(tuple(keys))


def _names(option: str | None) -> list[str]:
    """List names from a comma-separated option."""
    return [name.strip() for name in (option or "").split(",") if name.strip()]


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
    unread = counts.get("containers_not_read", 0)
    if unread:
        out.print(
            f"[bold red]{unread:,} container{'s' if unread != 1 else ''} not read"
            "[/bold red] (disk images, volumes or file systems): see warnings.csv"
        )
    out.print(f"exhibit integrity (SHA-256): {integrity}")
