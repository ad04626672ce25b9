"""Person records in and clusters out as CSV, for ``kavach persons dedupe``.

Reading refuses a file it cannot use whole — a missing column, an empty or repeated
id — with the file, line and column named, before any work is done. Writing puts
each record's cluster beside its id, and each link with its explanation: the level
every comparison reached and the weight (in bits) it added.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from kavach.entities.comparisons import comparisons
from kavach.entities.features import ROLES
from kavach.entities.linkage import Link, Record, Resolution
from kavach.errors import InputError


def parse_roles(pairs: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``ROLE=COLUMN`` options as {role: columns}; an unknown role is refused.

    A role given twice takes both columns, joined with a space: an address kept
    as street number, street and suburb is one address.
    """
    roles: dict[str, tuple[str, ...]] = {}
    for pair in pairs:
        role, sep, column = pair.partition("=")
        role = role.strip()
        if not sep or not column.strip():
            raise InputError(f"--map {pair!r}: expected ROLE=COLUMN")
        if role not in ROLES:
            known = ", ".join(ROLES)
            raise InputError(f"--map {pair!r}: unknown role {role!r}; roles: {known}")
        roles[role] = (*roles.get(role, ()), column.strip())
    if not roles:
        raise InputError("no --map ROLE=COLUMN given: nothing to compare")
    return roles


def read_records(
    path: Path, id_column: str, roles: Mapping[str, tuple[str, ...]], dataset: str
) -> list[Record]:
    """Every row of ``path`` as a record: the whole file or an error, nothing less."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    with handle:
        # Spaces after the commas (as in FEBRL's files) belong to no value.
        reader = csv.DictReader(handle, skipinitialspace=True)
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        wanted = [id_column, *(c for columns in roles.values() for c in columns)]
        missing = [c for c in wanted if c not in header]
        if missing:
            raise InputError(
                f"{path}: no column {', '.join(map(repr, missing))}; "
                f"the header has {', '.join(map(repr, header)) or 'nothing'}"
            )
        return _records(path, reader, id_column, roles, dataset)


def _records(
    path: Path,
    reader: csv.DictReader[str],
    id_column: str,
    roles: Mapping[str, tuple[str, ...]],
    dataset: str,
) -> list[Record]:
    records: list[Record] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            record_id = (row.get(id_column) or "").strip()
            if not record_id:
                raise InputError(f"{path}, line {line}: column {id_column!r} is empty")
            if record_id in seen:
                raise InputError(
                    f"{path}, line {line}: id {record_id!r} already on line "
                    f"{seen[record_id]}"
                )
            seen[record_id] = line
            values = {
                role: " ".join(filter(None, ((row.get(c) or "").strip() for c in cols)))
                for role, cols in roles.items()
            }
            records.append(Record(record_id, values, dataset))
    except csv.Error as exc:
        raise InputError(f"{path}, line {reader.line_num}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    return records


def write_clusters(out: TextIO, records: list[Record], resolution: Resolution) -> None:
    """``id,cluster_id``, one row per record, in the order the records were read."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "cluster_id"])
    for record in records:
        writer.writerow([record.record_id, resolution.clusters[record.record_id]])


def pair_columns() -> list[str]:
    names = [c["output_column_name"] for c in comparisons()]
    return [
        "id_l",
        "id_r",
        "match_weight",
        "match_probability",
        "linked_by",
        *(f"{n}_{part}" for n in names for part in ("level", "weight")),
    ]


def write_links(out: TextIO, links: list[Link]) -> None:
    """Each link with why: what every comparison found and the weight it added."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(pair_columns())
    names = [c["output_column_name"] for c in comparisons()]
    for link in links:
        cells: list[object] = [
            link.left.split("\x1f", 1)[1],
            link.right.split("\x1f", 1)[1],
            f"{link.match_weight:.2f}",
            f"{link.match_probability:.4f}",
            f"same {link.deterministic}" if link.deterministic else "score",
        ]
        for name in names:
            cells += [link.levels.get(name, ""), f"{link.weights.get(name, 0.0):.2f}"]
        writer.writerow(cells)
