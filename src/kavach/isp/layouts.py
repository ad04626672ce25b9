"""Column layouts of ISP replies: which header holds which Kavach field (MAP.toml)."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

from kavach.errors import FormatError, InputError

# Fields a window is built from; the four split ones are DoT's IPDR way of writing
# start and end (date and time in separate columns).
WINDOW_FIELDS = ("ip", "port", "subscriber", "address", "pincode", "phone")
COMBINED_TIMES = ("start", "end")
SPLIT_TIMES = ("start_date", "start_time", "end_date", "end_time")
# Read and kept in ``ReplyWindow.extra`` under these names.
EXTRA_FIELDS = ("alt_phone", "email", "user_id", "static_dynamic", "mac")
FIELDS = frozenset((*WINDOW_FIELDS, *COMBINED_TIMES, *SPLIT_TIMES, *EXTRA_FIELDS))
# Without these a row says nothing about who held an address when.
REQUIRED = ("ip", "subscriber")

_DEFAULT = ("ip", "port", "start", "end", "subscriber", "address", "pincode", "phone")
DEFAULT_COLUMNS: dict[str, str] = {name: name for name in _DEFAULT}


def check_layout(columns: dict[str, str], source: str, where: str) -> dict[str, str]:
    """``columns`` if it can describe a reply, else a ``FormatError`` saying why."""
    unknown = sorted(set(columns) - FIELDS)
    if unknown:
        raise FormatError(
            source,
            where,
            f"unknown Kavach field(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(FIELDS))})",
        )
    for name, header in columns.items():
        if not isinstance(header, str) or not header.strip():
            raise FormatError(source, where, f"{name} must name a header (text)")
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise FormatError(source, where, f"no column given for {', '.join(missing)}")
    combined = [n for n in COMBINED_TIMES if n in columns]
    split = [n for n in SPLIT_TIMES if n in columns]
    if not (combined == list(COMBINED_TIMES) and not split) and not (
        split == list(SPLIT_TIMES) and not combined
    ):
        raise FormatError(
            source,
            where,
            "times need either start and end, or start_date, start_time, end_date "
            "and end_time (and not a mix)",
        )
    _refuse_shared_headers(columns, source, where)
    return dict(columns)


def _refuse_shared_headers(columns: dict[str, str], source: str, where: str) -> None:
    seen: dict[str, str] = {}
    for name, header in columns.items():
        key = " ".join(header.split()).casefold()
        if key in seen:
            raise FormatError(
                source, where, f"{seen[key]} and {name} both name {header!r}"
            )
        seen[key] = name


def load_reply_columns(toml_path: Path) -> dict[str, str]:
    """The ``[columns]`` table of a MAP.toml (``kavach_field = "Header"``), checked."""
    try:
        text = toml_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{toml_path}: cannot read the column map ({exc})") from None
    return _columns_from_toml(text, str(toml_path))


def shipped_layouts() -> list[str]:
    """The reply layouts Kavach ships: one TOML file each in ``isp/data``."""
    folder = files("kavach.isp") / "data"
    return sorted(
        p.name.removesuffix(".toml")
        for p in folder.iterdir()
        if p.name.endswith(".toml")
    )


def shipped_layout(name: str) -> dict[str, str]:
    """A layout Kavach ships (``dot-ipdr``), by the name of its file."""
    folder = files("kavach.isp") / "data"
    known = shipped_layouts()
    if name not in known:
        raise InputError(
            f"--columns {name!r}: no such file, and no shipped reply layout of that "
            f"name (known: {', '.join(known)})"
        )
    return _columns_from_toml((folder / f"{name}.toml").read_text("utf-8"), name)


def _columns_from_toml(text: str, source: str) -> dict[str, str]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(source, None, f"not TOML ({exc})") from None
    table = document.get("columns")
    if not isinstance(table, dict):
        raise FormatError(source, None, "no [columns] table")
    return check_layout(table, source, "[columns]")
