"""``kavach demo``: build synthetic lists and an exhibit, import, scan, report."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from kavach.bootstrap import build
from kavach.cli.context import err, out
from kavach.cli.progress import ScanProgress
from kavach.demo.exhibit import build_demo
from kavach.evidence.ports import ScanListVersion
from kavach.evidence.scan import ScanSettings, default_workers, run_scan, start_scan
from kavach.hashsets.importer import ImportOptions, import_hashset
from kavach.reporting.outputs import write_scan_outputs
from kavach.settings import Settings


def demo_command(
    workdir: Annotated[
        Path, typer.Option(help="Where the demo writes everything (emptied first).")
    ] = Path("build/demo"),
) -> None:
    """Run the whole triage on benign synthetic pictures and print the report's path."""
    workdir = workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    err.print(f"drawing synthetic pictures and lists in {workdir}")
    demo = build_demo(workdir)
    settings = Settings(
        database_url=f"sqlite:///{workdir / 'kavach-demo.db'}",
        data_dir=workdir / "kavach-data",
    )
    app_ = build(settings)
    actor = settings.actor()
    try:
        for name, path in demo.lists:
            result = import_hashset(
                path,
                ImportOptions(name=name, source="demo"),
                app_.hashsets,
                app_.formats,
                app_.index_root,
                actor,
            )
            app_.audit.record(
                actor, "hashset.import", name, {"entries": result.info.entry_count}
            )
            out.print(
                f"imported {result.info.entry_count} entries into {name!r} "
                f"({result.format})"
            )
        versions = ScanListVersion.current(app_.hashsets.current_infos())
        started = start_scan(
            demo.exhibit,
            app_.scans,
            versions,
            ScanSettings(),
            actor,
            case_ref="DEMO-001",
            exhibit_label="demo-phone",
        )
        out.print(f"scan run {started.scan_id} started")
        with ScanProgress("scanning") as progress:
            run_scan(
                started.scan_id,
                app_.scans,
                app_.index_root,
                workers=default_workers(),
                progress=progress,
            )
        counts = app_.reports.counts(started.scan_id)
        report = write_scan_outputs(app_.reports, started.scan_id, workdir / "out")
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
    print(report)
