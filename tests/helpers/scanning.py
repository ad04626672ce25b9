"""Importing the demo's lists and scanning through the real services."""

from __future__ import annotations

import csv
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.exhibit import DemoSet
from kavach.evidence.limits import Limits
from kavach.evidence.ports import ScanListVersion
from kavach.evidence.scan import ScanSettings, run_scan, start_scan
from kavach.hashsets.importer import ImportOptions, import_hashset
from kavach.reporting.outputs import write_scan_outputs


def import_demo_lists(app: Kavach, demo: DemoSet) -> None:
    for name, path in demo.lists:
        import_hashset(
            path,
            ImportOptions(name=name),
            app.hashsets,
            app.formats,
            app.index_root,
            "test-examiner",
        )


def current_versions(app: Kavach) -> list[ScanListVersion]:
    return ScanListVersion.current(app.hashsets.current_infos())


def scan(
    app: Kavach,
    root: Path,
    out: Path | None = None,
    workers: int = 1,
    limits: Limits | None = None,
    batch_files: int = 64,
) -> str:
    settings = ScanSettings(limits=limits or Limits())
    started = start_scan(
        root, app.scans, current_versions(app), settings, "test-examiner"
    )
    run_scan(
        started.scan_id,
        app.scans,
        app.index_root,
        workers=workers,
        batch_files=batch_files,
    )
    if out is not None:
        write_scan_outputs(app.reports, started.scan_id, out)
    return started.scan_id


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
