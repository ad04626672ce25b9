"""Records of a large JSON file, streamed with a bound on nesting.

``ijson.items`` builds every path it passes as a growing prefix string, so a small
file nested 100,000 levels deep costs gigabytes before the first record. Here the
parser's plain events are read, the path is kept as a short list, and anything
nested deeper than ``MAX_DEPTH`` is refused with the byte it was found at. Records
are built one at a time, so memory stays that of one record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from kavach.errors import FormatError

# VICS records nest about six levels (value > Media > item > MediaFiles > item >
# fields); real files never come near this.
MAX_DEPTH = 64


def records(handle: BinaryIO, target: tuple[str, ...], source: str) -> Iterator[Any]:
    """Each value found at ``target`` (map keys, with ``"item"`` for array members).

    ``("value", "item")`` gives the members of the top-level ``value`` array.
    """
    path: list[str] = []  # the key, or "item", at each open container
    building: list[Any] = []  # the containers of the record being built
    depth_at_target = len(target)
    try:
        for event, value in ijson.basic_parse(handle, use_float=True):
            if event == "map_key":
                path[-1] = value
                continue
            at_target = (
                not building and len(path) == depth_at_target and tuple(path) == target
            )
            if event == "start_map" or event == "start_array":
                if len(path) >= MAX_DEPTH:
                    raise FormatError(
                        source,
                        f"byte {handle.tell()}",
                        f"nested too deep (more than {MAX_DEPTH} levels)",
                    )
                container: Any = {} if event == "start_map" else []
                if building:
                    _attach(building[-1], path[-1], container)
                if building or at_target:
                    building.append(container)
                path.append("" if event == "start_map" else "item")
            elif event == "end_map" or event == "end_array":
                path.pop()
                if building:
                    done = building.pop()
                    if not building:
                        yield done
            elif building:
                _attach(building[-1], path[-1], value)
            elif at_target:
                yield value  # not an object: the format says what it expected
    except ijson.JSONError as exc:
        raise FormatError(
            source, f"byte {handle.tell()}", f"broken JSON: {_first_line(exc)}"
        ) from None


def top_level_string(
    handle: BinaryIO, keys: tuple[str, ...], source: str
) -> str | None:
    """The first string value under one of ``keys`` at the top level, read lazily.

    Stops at the ``value`` array (the records) or at the end of the top object, so
    only the head of a multi-gigabyte file is read.
    """
    depth = 0
    key: str | None = None
    try:
        for event, value in ijson.basic_parse(handle):
            if event in ("start_map", "start_array"):
                depth += 1
                if depth > MAX_DEPTH:
                    raise FormatError(
                        source, f"byte {handle.tell()}", "nested too deep"
                    )
                if depth == 2 and event == "start_array" and key == "value":
                    return None  # the records start before any context key
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 0:
                    return None
            elif event == "map_key" and depth == 1:
                key = value
            elif depth == 1 and key in keys and event == "string":
                return str(value)
    except ijson.JSONError as exc:
        raise FormatError(
            source, f"byte {handle.tell()}", f"broken JSON: {_first_line(exc)}"
        ) from None
    return None


def _attach(parent: Any, key: str, value: Any) -> None:
    if isinstance(parent, dict):
        parent[key] = value
    else:
        parent.append(value)


def _first_line(exc: Exception) -> str:
    """yajl's messages draw an arrow over several lines; the first says it all."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
