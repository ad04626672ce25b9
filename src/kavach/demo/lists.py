"""Writers of hash lists in the real formats partners send (for the demo and tests)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Listed:
    """A file a list names: its digests and what the partner said of it."""

    md5: str
    sha1: str
    sha256: str = ""
    pdq: str = ""
    size: int = 0
    name: str = ""
    category: int | None = 1
    partner_id: str = ""


def write_vics(path: Path, items: Sequence[Listed], region: str = "US") -> None:
    """A VICS 2.0 Media file, digests upper-cased and booleans as strings, as seen."""
    context = (
        "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/"
        f"{region}/$metadata#Media"
    )
    value: list[dict[str, object]] = [
        {
            "MediaID": index + 1,
            "Category": item.category,
            "MD5": item.md5.upper(),
            "SHA1": item.sha1.upper(),
            "MediaSize": item.size,
            "VictimIdentified": "false",
            "OffenderIdentified": "false",
            "IsDistributed": "true",
            "Series": "",
            "DateUpdated": "2026-10-01T00:00:00Z",
            "MediaFiles": [],
            "Exifs": [],
            "AlternativeHashes": [],
        }
        for index, item in enumerate(items)
    ]
    path.write_text(json.dumps({"@odata.context": context, "value": value}, indent=1))


ICSE_HEADER = (
    "MD5;SHA1;ZZ40;PhotoDNA;Lace;Image ID;Is distributed;Victim identified;"
    "Offender identified;Series name;Investigation name;Agency;"
    "Number of submissions;File Available;Media Type;Baseline"
)


def write_icse(path: Path, items: Sequence[Listed]) -> None:
    lines = [ICSE_HEADER]
    for index, item in enumerate(items):
        lines.append(
            f"{item.md5};{item.sha1};;;;{9000 + index};Y;N;N;;;;1;True;Image;Yes"
        )
    path.write_text("\n".join(lines) + "\n")


def write_pdq_list(path: Path, items: Sequence[Listed]) -> None:
    path.write_text("".join(f"pdq {item.pdq}\n" for item in items))


def write_nsrl_legacy(path: Path, items: Sequence[Listed]) -> None:
    lines = [
        '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode",'
        '"OpSystemCode","SpecialCode"'
    ]
    for item in items:
        lines.append(
            f'"{item.sha1.upper()}","{item.md5.upper()}","00000000",'
            f'"{item.name}",{item.size},1234,"WIN",""'
        )
    path.write_text("\n".join(lines) + "\n")
