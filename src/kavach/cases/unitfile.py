"""The unit file's TOML: typed reads that name the key at fault, and the writer."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kavach.errors import FormatError

if TYPE_CHECKING:
    from kavach.cases.units import PoliceDistrict, RevenueDistrict

FORMAT_VERSION = 1

HEADER = """\
# Kerala Police units for Kavach: revenue districts and police districts.
#
# `kavach init` loads this file; `kavach unit ...` edits it and writes it back
# (comments other than this header are not kept).
#
# revenue_district: the 14 districts as India Post names them (the spelling of
#   the PIN data), the headquarters town with its approximate coordinates (a
#   GeoIP location is placed at the nearest headquarters within 40 km), and
#   other spellings that addresses and tips use.
# police_district: the 20 police districts, each with a short code, its revenue
#   district, its cyber police station, local police stations and the towns or
#   localities it covers.
#
# Routing an address inside a revenue district: a listed locality named in the
# address decides (the longest name wins, so "Fort Kochi" beats "Kochi"). The
# district's name, its other spellings and its headquarters town count only
# when no other locality is named, and never when written "<name> district";
# they go to the police district that lists the headquarters town. Where a
# district is split, the headquarters town is listed under the City, and the
# Rural is the default (default_for_district = true) for an address in the
# district whose locality is not listed: most of a split district's area and
# towns lie outside the headquarters town.
#
# The station and locality lists are a starting point for each unit to edit
# (`kavach unit`); they are not an official list of jurisdictions.
"""


class Table:
    """One TOML table read by key, every complaint naming the file and the key."""

    def __init__(self, data: dict[str, Any], source: str, where: str) -> None:
        self.data = data
        self.source = source
        self.where = where

    def fail(self, key: str | None, reason: str) -> FormatError:
        where = ".".join(part for part in (self.where, key) if part)
        return FormatError(self.source, where, reason)

    def only(self, *keys: str) -> None:
        """Refuse a key the format does not know (a misspelt key would be lost)."""
        for key in self.data:
            if key not in keys:
                raise self.fail(key, "unknown key")

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return " ".join(value.split())

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            raise self.fail(key, "must be a list of non-empty strings")
        return tuple(" ".join(v.split()) for v in value)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def degrees(self, key: str, limit: float) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "must be a number of degrees")
        if not math.isfinite(value) or abs(value) > limit:
            raise self.fail(key, f"must lie between -{limit:g} and {limit:g}")
        return float(value)


def tables(data: dict[str, Any], key: str, source: str) -> list[Table]:
    """The array of tables ``[[key]]``, each named ``key[n]`` (counting from 1)."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise FormatError(source, key, "must be an array of tables [[...]]")
    return [Table(v, source, f"{key}[{n}]") for n, v in enumerate(value, 1)]


def quote(text: str) -> str:
    """A TOML basic string (escaping what TOML forbids raw, DEL included)."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _array(key: str, values: Sequence[str], width: int = 88) -> list[str]:
    """``key = [...]`` on one line if it fits, else wrapped a few values a line."""
    items = [quote(v) for v in values]
    one_line = f"{key} = [{', '.join(items)}]"
    if len(one_line) <= width:
        return [one_line]
    lines, line = [f"{key} = ["], " "
    for item in items:
        if len(line) + len(item) + 2 > width:
            lines.append(line.rstrip())
            line = " "
        line += f" {item},"
    return [*lines, line.rstrip(), "]"]


def dump_units(
    revenue: Sequence[RevenueDistrict], police: Sequence[PoliceDistrict]
) -> str:
    """The unit file for these districts, in the order given."""
    lines = [HEADER, f"version = {FORMAT_VERSION}"]
    for district in revenue:
        lines += ["", "[[revenue_district]]", f"name = {quote(district.name)}"]
        lines.append(f"headquarters = {quote(district.headquarters)}")
        if district.latitude is not None and district.longitude is not None:
            lines.append(f"latitude = {district.latitude!r}")
            lines.append(f"longitude = {district.longitude!r}")
        lines += _array("aliases", district.aliases)
    for unit in police:
        lines += ["", "[[police_district]]", f"code = {quote(unit.code)}"]
        lines.append(f"name = {quote(unit.name)}")
        lines.append(f"revenue_district = {quote(unit.revenue_district)}")
        lines.append(f"cyber_station = {quote(unit.cyber_station)}")
        lines.append(f"default_for_district = {str(unit.default_for_district).lower()}")
        lines += _array("stations", unit.stations)
        lines += _array("localities", unit.localities)
    return "\n".join(lines) + "\n"
