"""Importing the demo's lists and scanning through the real services."""

from __future__ import annotations

import csv
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.exhibit import DemoSet
from kavach.evidence.limits import Limits
from kavach.evidence.ports import ScanListVersion
from kavach.evidence.scan_settings import ScanSettings
from kavach.hashsets.importer import ImportOptions, ImportResult

ACTOR = "test-examiner"


def import_list(app: Kavach, path: Path, **options: object) -> ImportResult:
    """Import through the service, as every adapter does."""
    return app.services.hashsets.import_list(
        path,
        ImportOptions(**options),  # type: ignore[arg-type]
        ACTOR,
    )


def import_demo_lists(app: Kavach, demo: DemoSet) -> None:
    for name, path in demo.lists:
        import_list(app, path, name=name)


def current_versions(app: Kavach) -> list[ScanListVersion]:
    return ScanListVersion.current(app.hashsets.current_infos())


def scan(
    app: Kavach,
    root: Path,
    out: Path | None = None,
    workers: int = 1,
    limits: Limits | None = None,
    batch_files: int = 64,
    settings: ScanSettings | None = None,
) -> str:
    """Start, run and finish a scan through the service; write outputs to ``out``."""
    scans = app.services.scans
    settings = settings or ScanSettings(limits=limits or Limits())
    # Tests that only list an exhibit scan without lists: allowed, as --allow-empty.
    scan_id = scans.start(root, ACTOR, settings=settings, allow_empty=True)
    scans.run([scan_id], workers=workers, batch_files=batch_files)
    scans.finish(scan_id, ACTOR)
    if out is not None:
        scans.write_outputs(scan_id, out, ACTOR)
    return scan_id


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def output_rows(path: Path) -> list[dict[str, str]]:
    """A scan output CSV's rows without the row ids (``file_id``), which differ
    from one run to the next while everything else must agree."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        row.pop("file_id", None)
    return rows
