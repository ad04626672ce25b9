"""A sample file for every tip format, made in a test's folder (name -> writer)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "tips"

Writer = Callable[[Path], Path]


def _copy(name: str) -> Writer:
    def write(tmp_path: Path) -> Path:
        return Path(shutil.copy(DATA / name, tmp_path / name))

    return write


def ncrb_xlsx(tmp_path: Path) -> Path:
    """The default sheet layout as XLSX, with the cell types Excel really stores."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["report_id", "Date_Received", " suspect_phone ", "ip", "ip_time"])
    sheet.append(
        [
            118700401,
            datetime(2024, 7, 1, 10, 0),
            919847012345,
            "203.0.113.90",
            datetime(2024, 6, 30, 21, 15),
        ]
    )
    sheet.append([None, None, None, None, None])  # an empty row is passed over
    sheet.append(["118700402", "2024-07-02T09:30:00Z", "+91 98470 23456", None, None])
    path = tmp_path / "ncrb_forward.xlsx"
    workbook.save(path)
    return path


SAMPLES: dict[str, Writer] = {
    "ncmec-json": _copy("ncmec_two_reports.json"),
    "cybertip-xml": _copy("cybertip_two_reports.xml"),
    "ncrb-sheet": _copy("ncrb_sheet.csv"),
}
