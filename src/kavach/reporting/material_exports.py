"""New material for partners: VICS 2.0 Media and Interpol ICSE CSV — hashes,
metadata and where each file was found, never the file."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from kavach.examination.material import NewMaterialRow
from kavach.reporting.exports import VICS_CONTEXT, safe_text

ICSE_COLUMNS = [
    "MD5", "SHA1", "ZZ40", "PhotoDNA", "Lace", "Image ID", "Is distributed",
    "Victim identified", "Offender identified", "Series name", "Investigation name",
    "Agency", "Number of submissions", "File Available", "Media Type", "Baseline",
]  # fmt: skip

# EXIF-style names for what the file's own metadata said (VICS ``Exifs[]``).
_EXIF_FIELDS = (
    ("Make", "camera_make"),
    ("Model", "camera_model"),
    ("BodySerialNumber", "camera_serial"),
    ("DateTimeOriginal", "taken_at"),
    ("GPSLatitude", "gps_lat"),
    ("GPSLongitude", "gps_lon"),
)


def vics_new_material(rows: Iterable[NewMaterialRow]) -> dict[str, Any]:
    """One VICS Media per distinct file (MD5), every copy in ``MediaFiles``."""
    media: dict[str, dict[str, Any]] = {}
    for row in rows:
        item = media.get(row.md5)
        if item is None:
            item = media[row.md5] = _media(row, len(media) + 1)
        item["MediaFiles"].append(_media_file(row))
    return {"@odata.context": VICS_CONTEXT, "value": list(media.values())}


def _media(row: NewMaterialRow, media_id: int) -> dict[str, Any]:
    category = row.category if row.category and row.category.isdigit() else None
    tags = ["new material"]
    if row.self_produced:
        tags.append("self-produced")
    if row.age_band:
        tags.append(f"age band {row.age_band}")
    alternative = [{"MD5": row.md5, "HashName": "SHA256", "HashValue": row.sha256}]
    if row.sha512:
        alternative.append(
            {"MD5": row.md5, "HashName": "SHA512", "HashValue": row.sha512}
        )
    if row.pdq:
        alternative.append({"MD5": row.md5, "HashName": "PDQ", "HashValue": row.pdq})
    comment = f"confirmed by {row.by} on {row.at.date().isoformat()}"
    if row.category and category is None:
        comment += f", category {row.category}"
    if row.note:
        comment += f": {row.note}"
    return {
        "MediaID": media_id,
        "MD5": row.md5,
        "SHA1": row.sha1,
        "MediaSize": row.size,
        "Category": int(category) if category is not None else None,
        "MimeType": row.mime,
        "IsPrecategorized": False,
        "VictimIdentified": False,
        "OffenderIdentified": False,
        "Tags": tags,
        "Comments": comment,
        "AlternativeHashes": alternative,
        "Exifs": [
            {"MD5": row.md5, "PropertyName": name, "PropertyValue": str(value)}
            for name, field in _EXIF_FIELDS
            if (value := getattr(row, field)) is not None
        ],
        "MediaFiles": [],
    }


def _media_file(row: NewMaterialRow) -> dict[str, Any]:
    folder, _, name = row.path.rpartition("/")
    return {
        "MD5": row.md5,
        "FileName": name,
        "FilePath": folder,
        "SourceID": row.exhibit,
        "Deleted": row.deleted,
        "Unallocated": row.carved,
    }


def write_vics_new_material(out: TextIO, rows: Iterable[NewMaterialRow]) -> int:
    document = vics_new_material(rows)
    json.dump(document, out, indent=1)
    out.write("\n")
    return len(document["value"])


def write_icse_new_material(
    out: TextIO, rows: Iterable[NewMaterialRow], agency: str
) -> int:
    """ICSE's semicolon CSV, one line per distinct file. ``File Available`` is
    always False: Kavach sends no file. ``Baseline`` is Yes only where the
    examiner's category says ``baseline`` (the international baseline is their
    judgement, not Kavach's)."""
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(ICSE_COLUMNS)
    seen: set[str] = set()
    for row in rows:
        if row.md5 in seen:
            continue
        seen.add(row.md5)
        video = row.mime.startswith("video/")
        baseline = (row.category or "").strip().lower() == "baseline"
        cells = [
            row.md5.lower(), row.sha1.lower(), "", "", "", "", "N", "N", "N", "",
            row.case_ref or row.exhibit, agency, "1", "False",
            "Video" if video else "Image", "Yes" if baseline else "No",
        ]  # fmt: skip
        writer.writerow([safe_text(c) for c in cells])
    return len(seen)
