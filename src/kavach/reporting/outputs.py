"""Writing a scan's output folder: hits.csv, files.csv, warnings.csv, report.html."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from kavach.errors import InputError
from kavach.examination.survey import survey_files
from kavach.examination.tool_rules import ToolRules
from kavach.reporting.exhibit_report import (
    ExhibitReport,
    OutputFile,
    render_exhibit_report,
)
from kavach.reporting.exports import write_files_csv, write_hits_csv, write_warnings_csv
from kavach.reporting.ports import ReportQueries


def check_out_dir(out_dir: Path) -> None:
    """``InputError`` unless ``out_dir`` is a folder or can become one."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {out_dir}: a file is there; give a folder")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_csv_outputs(
    source: ReportQueries, scan_id: str, out_dir: Path, prefix: str = ""
) -> list[OutputFile]:
    """hits.csv, files.csv and warnings.csv (each name after ``prefix``), with the
    SHA-256 of each as written, for the report to list."""
    check_out_dir(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    writers: list[tuple[str, Callable[[TextIO], int]]] = [
        ("hits.csv", lambda out: write_hits_csv(out, source.hits(scan_id))),
        ("files.csv", lambda out: write_files_csv(out, source.files(scan_id))),
        ("warnings.csv", lambda out: write_warnings_csv(out, source.warnings(scan_id))),
    ]
    written = []
    for name, write in writers:
        path = out_dir / f"{prefix}{name}"
        with path.open("w", encoding="utf-8", newline="") as out:
            write(out)
        written.append(OutputFile(path.name, sha256_of(path)))
    return written


def exhibit_report_data(
    source: ReportQueries, scan_id: str, outputs: list[OutputFile]
) -> ExhibitReport:
    return ExhibitReport(
        source.run(scan_id),
        source.hits(scan_id),
        source.warnings(scan_id),
        source.counts(scan_id),
        source.verifications(scan_id),
        survey_files(lambda: source.files(scan_id), ToolRules.packaged()),
        outputs,
    )


def write_scan_outputs(source: ReportQueries, scan_id: str, out_dir: Path) -> Path:
    """Write the four outputs into ``out_dir``; returns the report's absolute path."""
    outputs = write_csv_outputs(source, scan_id, out_dir)
    report = out_dir / "report.html"
    data = exhibit_report_data(source, scan_id, outputs)
    report.write_text(render_exhibit_report(data), encoding="utf-8")
    return report.resolve()
