"""Writing a scan's output folder: hits.csv, files.csv, warnings.csv, report.html."""

from __future__ import annotations

from pathlib import Path

from kavach.errors import InputError
from kavach.reporting.exports import write_files_csv, write_hits_csv, write_warnings_csv
from kavach.reporting.html_report import ReportData, render_report
from kavach.reporting.ports import ReportQueries


def check_out_dir(out_dir: Path) -> None:
    """``InputError`` unless ``out_dir`` is a folder or can become one."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {out_dir}: a file is there; give a folder")


def write_scan_outputs(source: ReportQueries, scan_id: str, out_dir: Path) -> Path:
    """Write the four outputs into ``out_dir``; returns the report's absolute path."""
    check_out_dir(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    hits = source.hits(scan_id)
    warnings = source.warnings(scan_id)
    with (out_dir / "hits.csv").open("w", encoding="utf-8", newline="") as out:
        write_hits_csv(out, hits)
    with (out_dir / "files.csv").open("w", encoding="utf-8", newline="") as out:
        write_files_csv(out, source.files(scan_id))
    with (out_dir / "warnings.csv").open("w", encoding="utf-8", newline="") as out:
        write_warnings_csv(out, warnings)
    report = out_dir / "report.html"
    data = ReportData(
        source.run(scan_id),
        hits,
        warnings,
        source.counts(scan_id),
        source.verifications(scan_id),
    )
    report.write_text(render_report(data), encoding="utf-8")
    return report.resolve()
