"""The PDFs that arrive beside a report file, recorded by path, SHA-256 and size."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from kavach.tips.model import Attachment

CHUNK = 1024 * 1024


def attachments_for(report_file: Path, report_id: str) -> list[Attachment]:
    """PDFs in the report file's folder whose name carries the report id.

    The id must stand on its own in the name (``CT-123.pdf``, ``123_summary.pdf``),
    not inside a longer run of letters or digits, so report 123 does not claim
    ``91234.pdf``. The PDFs are hashed, never opened or parsed: they may carry
    what an investigator must not see on a shared screen.
    """
    wanted = report_id.strip()
    if not wanted:
        return []
    pattern = re.compile(rf"(?<![0-9a-z]){re.escape(wanted.casefold())}(?![0-9a-z])")
    found = []
    for path in sorted(report_file.parent.iterdir()):
        if path.suffix.lower() != ".pdf" or path.is_symlink() or not path.is_file():
            continue
        if pattern.search(path.name.casefold()):
            found.append(_attachment(path))
    return found


def _attachment(path: Path) -> Attachment:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    # Where it lies, whatever folder the import was started from.
    return Attachment(path=str(path.resolve()), sha256=digest.hexdigest(), size=size)
