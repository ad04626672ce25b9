"""Reply files written at test time (documentation addresses, fictional names)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from kavach.isp.replies import ReplyWindow
from kavach.tips.times import IST

HEADER = ["ip", "port", "start", "end", "subscriber", "address", "pincode", "phone"]


def write_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def ist(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=IST)


def window(
    address: str,
    start: str,
    end: str,
    subscriber: str,
    ports: tuple[int, int] | None = None,
    phone: str | None = None,
) -> ReplyWindow:
    return ReplyWindow(
        address=address,
        port_low=ports[0] if ports else None,
        port_high=ports[1] if ports else None,
        start=ist(start),
        end=ist(end),
        subscriber=subscriber,
        address_text=None,
        pincode=None,
        phone=phone,
        isp="Kayal Net",
        where=f"test, {subscriber}",
    )
