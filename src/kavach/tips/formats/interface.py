"""The interface every tip format implements, its parse context and ``--columns``."""

from __future__ import annotations

import tomllib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from kavach.errors import FormatError, InputError
from kavach.tips.model import ParsedTip, Rejected

# The Kavach fields of a forwarded sheet; a --columns map may rename any of them.
SHEET_FIELDS = (
    "report_id",
    "date_received",
    "esp",
    "incident_type",
    "incident_time",
    "suspect_name",
    "suspect_phone",
    "suspect_email",
    "screen_name",
    "esp_service",
    "esp_user_id",
    "ip",
    "ip_time",
    "ip_port",
    "file_names",
    "file_hashes",
    "city",
    "region",
    "country_code",
)


class BadRecord(Exception):
    """One report cannot be read; the format's loop hands it to ``reject``."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass
class TipParseContext:
    """What the caller asks of a parse, and what the format tolerated or left out.

    ``file`` is set by the format when ``parse`` begins, so every message names it.
    """

    source: str = "NCMEC"
    # ``--columns``: Kavach's field -> the sheet's header (sheets only).
    columns: dict[str, str] | None = None
    skip_invalid: bool = False
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file: str = ""

    def reject(self, where: str, reason: str) -> None:
        """Refuse one report: raise by default, record it with ``skip_invalid``.

        A tip half-read is worse than none (a missing phone hides a link), so a
        report with one bad value is never kept in part.
        """
        if not self.skip_invalid:
            raise FormatError(self.file or "tip file", where, reason)
        place = f"{self.file}, {where}" if self.file else where
        self.rejected.append(Rejected(place, reason))

    def warn(self, where: str, message: str) -> None:
        place = f"{self.file}, {where}" if self.file else where
        self.warnings.append(f"{place}: {message}")


class TipFormat(ABC):
    """A file format that carries CyberTipline (or similar) reports.

    ``sniff`` says how sure it is (0 = not mine) so ``--format auto`` can pick;
    ``parse`` streams one ``ParsedTip`` per report, calling ``context.reject`` for
    a report it cannot read and raising ``FormatError`` when the file as a whole
    is unusable.
    """

    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def sniff(self, head: bytes, path: Path) -> int:
        """Confidence 0-100 that the file starting with ``head`` is in this format."""

    @abstractmethod
    def parse(self, path: Path, context: TipParseContext) -> Iterator[ParsedTip]:
        """The reports of the file, streamed."""


def text_head(head: bytes) -> str:
    """The head decoded for sniffing, with a UTF-8 BOM dropped."""
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")


def load_columns(toml_path: Path) -> dict[str, str]:
    """The ``[columns]`` table of a MAP.toml: Kavach field -> header in the file."""
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{toml_path}: cannot read the column map ({exc})") from None
    table = data.get("columns")
    if not isinstance(table, dict) or not table:
        raise InputError(f'{toml_path}: no [columns] table (kavach_field = "Header")')
    columns: dict[str, str] = {}
    for key, header in table.items():
        if key not in SHEET_FIELDS:
            raise InputError(
                f"{toml_path}: unknown Kavach field {key!r} in [columns] "
                f"(known: {', '.join(SHEET_FIELDS)})"
            )
        if not isinstance(header, str) or not header.strip():
            raise InputError(f"{toml_path}: [columns] {key} must be a header name")
        columns[key] = header.strip()
    return columns
