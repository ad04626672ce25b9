"""CSV, JSON, JSON Lines and VICS 2.0 exports of a scan's files, hits and warnings.

Machine-readable output follows one convention across commands: ``json`` is one
JSON array, ``jsonl`` one JSON object a line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TextIO

from kavach.reporting.rows import FileRow, HitRow, WarningRow

# What every file row starts with, and where inside evidence it came from.
_FILE = ["path", "size", "md5", "sha1", "sha256", "sha512", "pdq", "pdq_quality"]
_ORIGIN = ["deleted", "carved", "offset", "inode", "times", "extracted_as"]
_FS_TIMES = ["modified_at", "created_at"]
# Where and when a picture was taken, from its own metadata.
_CAPTURE = [
    "camera_make", "camera_model", "camera_serial", "taken_at", "gps_lat", "gps_lon",
    "place",
]  # fmt: skip
# The examiner's latest decision on a hit (every earlier one: kavach hits history).
_REVIEW = [
    "review", "reviewed_by", "reviewed_at", "review_category", "age_band",
    "self_produced", "review_note",
]  # fmt: skip
HIT_COLUMNS = [
    *_FILE,
    "match_type", "algorithm", "distance", "hashset", "category", "status",
    "list_role", "list_version", "variant", "partner_id", "series", *_REVIEW, "detail",
    *_ORIGIN, "file_id",
]  # fmt: skip
FILE_COLUMNS = [
    "file_id", *_FILE, "mime", "known", "depth", "pdq_source", *_ORIGIN, *_FS_TIMES,
    *_CAPTURE,
]  # fmt: skip
WARNING_COLUMNS = ["path", "stage", "reason"]
VICS_CONTEXT = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media"


# A spreadsheet runs a cell starting with one of these as a formula (OWASP's CSV
# injection list); file names from seized media may start with anything.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """``value`` made inert for a spreadsheet: a formula prefix gets a ``'``."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return safe_text(value)
    return value


def _write(out: TextIO, columns: list[str], rows: Iterable[Any]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    # The csv module quotes only the line terminator's characters: a bare carriage
    # return inside a name would split the row in readers, so such rows quote all.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    count = 0
    for row in rows:
        cells = [_cell(getattr(row, c)) for c in columns]
        needs_quotes = any(isinstance(c, str) and "\r" in c for c in cells)
        (quoted if needs_quotes else writer).writerow(cells)
        count += 1
    return count


def write_hits_csv(out: TextIO, hits: Iterable[HitRow]) -> int:
    return _write(out, HIT_COLUMNS, hits)


def write_files_csv(out: TextIO, files: Iterable[FileRow]) -> int:
    return _write(out, FILE_COLUMNS, files)


def write_warnings_csv(out: TextIO, warnings: Iterable[WarningRow]) -> int:
    return _write(out, WARNING_COLUMNS, warnings)


def hit_object(row: HitRow) -> dict[str, Any]:
    """A hit as JSON: its stable ``hit_id`` (for review) and the CSV columns."""
    return {"hit_id": row.hit_id, **{c: _json(getattr(row, c)) for c in HIT_COLUMNS}}


def file_object(row: FileRow) -> dict[str, Any]:
    """A file record as JSON: its stable ``file_id`` (for review) first."""
    return {c: _json(getattr(row, c)) for c in FILE_COLUMNS}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def write_files_json(out: TextIO, files: Iterable[FileRow]) -> int:
    """One JSON array of file records (streamed: a scan may hold millions)."""
    count = 0
    out.write("[")
    for row in files:
        out.write(("\n " if count == 0 else ",\n ") + json.dumps(file_object(row)))
        count += 1
    out.write("\n]\n")
    return count


def write_files_jsonl(out: TextIO, files: Iterable[FileRow]) -> int:
    count = 0
    for row in files:
        out.write(json.dumps(file_object(row)) + "\n")
        count += 1
    return count


def write_hits_json(out: TextIO, hits: Iterable[HitRow]) -> int:
    """One JSON array of hits."""
    objects = [hit_object(row) for row in hits]
    json.dump(objects, out, indent=1)
    out.write("\n")
    return len(objects)


def write_hits_jsonl(out: TextIO, hits: Iterable[HitRow]) -> int:
    """JSON Lines, one hit an object."""
    count = 0
    for row in hits:
        out.write(json.dumps(hit_object(row)) + "\n")
        count += 1
    return count


def vics_document(hits: Iterable[HitRow], source_id: str) -> dict[str, Any]:
    """A VICS 2.0 Media document: one Media per distinct file, every copy in MediaFiles.

    ``Category`` takes the lowest numeric code of the matched entries (Project VIC
    style); other codes (ICSE baseline, industry classes) are named in ``Comments``.
    """
    media: dict[str, dict[str, Any]] = {}
    for row in hits:
        # Partners are sent material: not tools, not what an examiner rejected.
        if row.is_tool or row.review == "rejected":
            continue
        item = media.get(row.md5)
        if item is None:
            item = media[row.md5] = {
                "MediaID": len(media) + 1,
                "MD5": row.md5,
                "SHA1": row.sha1,
                "MediaSize": row.size,
                "Category": None,
                "MimeType": row.mime,
                "AlternativeHashes": [
                    {
                        "MD5": row.md5,
                        "HashName": "SHA256",
                        "HashValue": row.sha256,
                    }
                ],
                "Comments": [],
                "MediaFiles": [],
                "_paths": set(),
            }
            if row.sha512:
                item["AlternativeHashes"].append(
                    {"MD5": row.md5, "HashName": "SHA512", "HashValue": row.sha512}
                )
            if row.pdq:
                item["AlternativeHashes"].append(
                    {"MD5": row.md5, "HashName": "PDQ", "HashValue": row.pdq}
                )
        _merge_hit(item, row, source_id)
    value = []
    for item in media.values():
        item.pop("_paths")
        item["Comments"] = "; ".join(item["Comments"])
        value.append(item)
    return {"@odata.context": VICS_CONTEXT, "value": value}


def _merge_hit(item: dict[str, Any], row: HitRow, source_id: str) -> None:
    code = row.review_category or row.category
    category = code if code and code.isdigit() else None
    if category is not None and (
        item["Category"] is None or int(category) < int(item["Category"])
    ):
        item["Category"] = int(category)
    note = (
        f"{row.hashset} ({row.list_version}): {row.match_type} {row.algorithm}"
        f" distance {row.distance}, category {row.category or '-'}"
    )
    if note not in item["Comments"]:
        item["Comments"].append(note)
    if row.path not in item["_paths"]:
        item["_paths"].add(row.path)
        folder, _, name = row.path.rpartition("/")
        item["MediaFiles"].append(
            {
                "MD5": row.md5,
                "FileName": name,
                "FilePath": folder,
                "SourceID": source_id,
            }
        )


def write_hits_vics(out: TextIO, hits: Iterable[HitRow], source_id: str) -> int:
    document = vics_document(hits, source_id)
    json.dump(document, out, indent=1)
    out.write("\n")
    return len(document["value"])
