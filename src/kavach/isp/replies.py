"""What ISPs reply: who held an address (and port block) from when to when."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from kavach.errors import FormatError
from kavach.isp.layouts import (
    DEFAULT_COLUMNS,
    EXTRA_FIELDS,
    REQUIRED,
    check_layout,
    load_reply_columns,
    shipped_layout,
)
from kavach.isp.sheets import Cell, header_key, is_blank, read_rows, text_of
from kavach.tips.identifiers import IdentifierError, ip_address
from kavach.tips.times import IST, TimeError, parse_time

__all__ = ["ReplyWindow", "load_reply_columns", "read_replies", "shipped_layout"]

_PORT = re.compile(r"^(\d{1,5})(?:\s*[-\u2013]\s*(\d{1,5}))?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
# An Indian postal address ends in its six-digit PIN, often after "PIN".
_PIN_AT_END = re.compile(r"(?<!\d)([1-9]\d{2})\s?(\d{3})\s*\.?$")


@dataclass(frozen=True, slots=True)
class ReplyWindow:
    """One allocation an ISP reported: ``address`` (and ports) held in [start, end).

    ``port_low``/``port_high`` are the CGNAT port block (one port: both equal);
    ``None`` when the reply gives no port, i.e. the whole address.
    """

    address: str  # normalised (ipaddress' compressed form)
    port_low: int | None
    port_high: int | None
    start: datetime  # zone-aware, inclusive
    end: datetime  # zone-aware, exclusive
    subscriber: str
    address_text: str | None  # the postal address
    pincode: str | None
    phone: str | None  # as the ISP wrote it
    isp: str | None
    where: str  # "<file>, row <n>"
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)

    def covers(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def has_ports(self) -> bool:
        return self.port_low is not None

    def covers_port(self, port: int) -> bool:
        """Whether ``port`` is in the block; a window without ports covers all."""
        if self.port_low is None or self.port_high is None:
            return True
        return self.port_low <= port <= self.port_high

    def ports(self) -> str:
        if self.port_low is None:
            return ""
        if self.port_low == self.port_high:
            return str(self.port_low)
        return f"{self.port_low}-{self.port_high}"


def read_replies(
    path: Path, columns: dict[str, str] | None = None, isp: str | None = None
) -> list[ReplyWindow]:
    """Every window of a reply (CSV or XLSX, header row first), or none at all.

    ``columns`` maps Kavach fields to the file's headers (see ``layouts``); it is the
    whole layout, so a field it leaves out is not read. One bad row refuses the file:
    a reply half read would send officers to the wrong door.
    """
    layout = check_layout(
        dict(DEFAULT_COLUMNS if columns is None else columns), str(path), "column map"
    )
    rows = read_rows(path)
    header = next(rows, None)
    if header is None:
        raise FormatError(str(path), "row 1", "empty file: no header row")
    reader = _RowReader(path, layout, header[1], isp)
    windows = [reader.window(n, cells) for n, cells in rows if not is_blank(cells)]
    if not windows:
        raise FormatError(
            str(path), "row 2", "no rows under the header: nothing to read"
        )
    return windows


class _RowReader:
    """Turns rows into windows for one file, naming file, row and header on errors."""

    def __init__(
        self, path: Path, layout: dict[str, str], header: list[Cell], isp: str | None
    ) -> None:
        self.path = path
        self.isp = isp
        self.layout = layout
        self.index: dict[str, int] = {}  # Kavach field -> column
        self.headers: dict[str, str] = {}  # Kavach field -> header as written
        self.others: dict[int, str] = {}  # unmapped column -> header as written
        self._match(header)

    def _match(self, header: list[Cell]) -> None:
        positions: dict[str, list[int]] = {}
        for column, cell in enumerate(header):
            if key := header_key(cell):
                positions.setdefault(key, []).append(column)
        for name, wanted in self.layout.items():
            found = positions.pop(header_key(wanted), [])
            if len(found) > 1:
                raise self._error(1, wanted, "this header appears more than once")
            if found:
                self.index[name] = found[0]
                self.headers[name] = text_of(header[found[0]]) or wanted
        self._refuse_missing(header)
        for columns in positions.values():
            for column in columns:
                self.others[column] = text_of(header[column]) or ""

    def _refuse_missing(self, header: list[Cell]) -> None:
        needed = [*REQUIRED, "start", "end"]
        if "start_date" in self.layout:
            needed = [*REQUIRED, "start_date", "start_time", "end_date", "end_time"]
        for name in needed:
            if name not in self.index:
                present = ", ".join(repr(t) for c in header if (t := text_of(c)))
                raise self._error(
                    1,
                    self.layout[name],
                    f"column missing (the header row has: {present or 'nothing'})",
                )

    def _error(self, row: int, header: str, reason: str) -> FormatError:
        return FormatError(str(self.path), f"row {row}, field {header}", reason)

    def _cell(self, cells: list[Cell], name: str) -> Cell:
        column = self.index.get(name)
        return cells[column] if column is not None and column < len(cells) else None

    def _text(self, cells: list[Cell], name: str) -> str | None:
        return text_of(self._cell(cells, name))

    def window(self, row: int, cells: list[Cell]) -> ReplyWindow:
        start, end = self._times(row, cells)
        low, high = self._ports(row, cells)
        subscriber = self._text(cells, "subscriber")
        if subscriber is None:
            raise self._error(row, self.headers["subscriber"], "empty")
        address_text = self._text(cells, "address")
        return ReplyWindow(
            address=self._address(row, cells),
            port_low=low,
            port_high=high,
            start=start,
            end=end,
            subscriber=subscriber,
            address_text=address_text,
            pincode=self._pincode(cells, address_text),
            phone=self._text(cells, "phone"),
            isp=self.isp,
            where=f"{self.path}, row {row}",
            extra=dict(self._extra(cells)),
        )

    def _address(self, row: int, cells: list[Cell]) -> str:
        text = self._text(cells, "ip")
        if text is None:
            raise self._error(row, self.headers["ip"], "empty")
        try:
            return ip_address(text)
        except IdentifierError as exc:
            raise self._error(row, self.headers["ip"], str(exc)) from None

    def _ports(self, row: int, cells: list[Cell]) -> tuple[int | None, int | None]:
        text = self._text(cells, "port")
        if text is None:
            return None, None
        match = _PORT.match(text)
        if not match:
            reason = f"{text!r} is not a port or a range like 40000-40999"
            raise self._error(row, self.headers["port"], reason)
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if high > 65535:
            raise self._error(row, self.headers["port"], f"{high} is above 65535")
        if high < low:
            reason = f"range {text!r} ends below its start"
            raise self._error(row, self.headers["port"], reason)
        return low, high

    def _times(self, row: int, cells: list[Cell]) -> tuple[datetime, datetime]:
        if "start" in self.index:
            start = self._moment(row, cells, "start")
            end = self._moment(row, cells, "end")
            end_header = self.headers["end"]
        else:
            start = self._split_moment(row, cells, "start")
            end = self._split_moment(row, cells, "end")
            end_header = self.headers["end_date"]
        if end <= start:
            reason = (
                f"ends ({end.isoformat()}) before it starts ({start.isoformat()})"
                if end < start
                else f"starts and ends at {start.isoformat()}: an empty window"
            )
            raise self._error(row, end_header, reason)
        return start, end

    def _moment(self, row: int, cells: list[Cell], name: str) -> datetime:
        cell = self._cell(cells, name)
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            raise self._error(row, self.headers[name], "empty")
        if isinstance(cell, int | float | time):
            raise self._error(row, self.headers[name], f"{cell!r} is not a time")
        try:
            return parse_time(cell)
        except TimeError as exc:
            raise self._error(row, self.headers[name], str(exc)) from None

    def _split_moment(self, row: int, cells: list[Cell], name: str) -> datetime:
        day = self._date(row, cells, f"{name}_date")
        clock = self._clock(row, cells, f"{name}_time")
        try:
            return parse_time(datetime.combine(day, clock, tzinfo=clock.tzinfo or IST))
        except TimeError as exc:
            raise self._error(row, self.headers[f"{name}_date"], str(exc)) from None

    def _date(self, row: int, cells: list[Cell], name: str) -> date:
        cell = self._cell(cells, name)
        if isinstance(cell, datetime):
            return cell.date()
        if isinstance(cell, date):
            return cell
        text = text_of(cell)
        parsed = _parse_date(text) if text else None
        if parsed is None:
            reason = (
                f"{text!r} is not a date (YYYY-MM-DD or DD-MM-YYYY)"
                if text
                else "empty"
            )
            raise self._error(row, self.headers[name], reason)
        return parsed

    def _clock(self, row: int, cells: list[Cell], name: str) -> time:
        cell = self._cell(cells, name)
        if isinstance(cell, datetime):
            # Excel keeps a time of day as a time on 1899-12-30.
            return cell.timetz()
        if isinstance(cell, time):
            return cell
        if isinstance(cell, float) and 0 <= cell < 1:
            # An unformatted Excel time: a fraction of a day.
            # Floored: 0.9999999 is 23:59:59, not a 24th hour.
            seconds = min(int(cell * 86400), 86399)
            return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
        text = text_of(cell)
        parsed = _parse_clock(text) if text else None
        if parsed is None:
            reason = f"{text!r} is not a time of day (HH:MM:SS)" if text else "empty"
            raise self._error(row, self.headers[name], reason)
        return parsed

    def _pincode(self, cells: list[Cell], address_text: str | None) -> str | None:
        text = self._text(cells, "pincode")
        if text is None and "pincode" not in self.index and address_text:
            # Layouts without a PIN column (DoT's) still end the address in one.
            match = _PIN_AT_END.search(address_text)
            return match.group(1) + match.group(2) if match else None
        if text is not None and re.fullmatch(r"\d{3}\s\d{3}", text):
            return text.replace(" ", "")
        return text

    def _extra(self, cells: list[Cell]) -> Iterator[tuple[str, str]]:
        for column, header in self.others.items():
            value = text_of(cells[column]) if column < len(cells) else None
            if value is not None and header:
                yield header, value
        for name in EXTRA_FIELDS:
            if (value := self._text(cells, name)) is not None:
                yield name, value


def _parse_date(text: str) -> date | None:
    """ISO, or day first as India writes it (03/04/2024 is 3 April)."""
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        pass
    match = _DAY_FIRST.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def _parse_clock(text: str) -> time | None:
    cleaned = re.sub(r"\s*IST$", "", text, flags=re.IGNORECASE)
    try:
        return time.fromisoformat(cleaned)
    except ValueError:
        pass
    for pattern in ("%I:%M:%S %p", "%I:%M %p"):
        try:
            return datetime.strptime(cleaned.upper(), pattern).time()
        except ValueError:
            continue
    return None
