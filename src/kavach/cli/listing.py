"""Rendering lists of records as a table, CSV or one JSON array (every list command)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from rich.table import Table

from kavach.cli.context import out
from kavach.reporting.exports import safe_text


class ListFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def render(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    format: ListFormat,
    empty: str,
) -> None:
    """``rows`` as ``format``: JSON gets every key; table and CSV ``columns``."""
    if format is ListFormat.JSON:
        print(json.dumps(list(rows), indent=1, ensure_ascii=False, default=str))
        return
    if format is ListFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            # Tips carry text others wrote: a cell must never run as a formula.
            writer.writerow([safe_text(_cell(row.get(c))) for c in columns])
        return
    if not rows:
        out.print(empty)
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) or "-" for c in columns))
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{v}" for v in value.values() if v)
    return str(value)
