"""Everything a scan examines, in a fixed order: the folder's files and, right after
each disk image, the files, deleted files and unallocated space inside it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace

from kavach.evidence.sources.disk import list_image
from kavach.evidence.sources.folder import WalkItem, open_readonly, walk
from kavach.evidence.sources.images import is_ewf, looks_like_disk
from kavach.evidence.sources.phone import ios_manifest

ISO_MARK = 0x8001  # where ISO 9660 writes CD001
_LATER_SEGMENT = re.compile(rb"\.(?:0(?:0[2-9]|[1-9]\d)|[1-9]\d\d)$")


def inventory(root: bytes) -> Iterator[WalkItem]:
    """Walk items, numbered afresh, with the contents of disk images spliced in,
    and the files of iOS backups shown under their original paths."""
    items = list(walk(root))
    originals = _ios_originals(root, items)
    seq = 0
    for item in items:
        yield replace(item, seq=seq, original=originals.get(item.rel))
        seq += 1
        if item.problem is not None:
            continue
        path = os.path.join(root, item.rel) if os.path.isdir(root) else root
        if not _is_first_image_segment(path):
            continue
        for listed in list_image(path):
            yield WalkItem(
                seq, item.rel + listed.spec_suffix, listed.problem, listed.entry
            )
            seq += 1


def _ios_originals(root: bytes, items: list[WalkItem]) -> dict[bytes, bytes]:
    """Walked path -> ``backup/Domain/relative/path`` for files of iOS backups."""
    if not os.path.isdir(root):
        return {}
    originals = {}
    for item in items:
        if item.problem is None and os.path.basename(item.rel) == b"Manifest.db":
            backup = os.path.dirname(item.rel)
            for stored, original in ios_manifest(os.path.join(root, backup)).items():
                walked = os.path.join(backup, stored) if backup else stored
                originals[walked] = (
                    os.path.join(backup, original) if backup else original
                )
    return originals


def _is_first_image_segment(path: bytes) -> bool:
    """Cheap for ordinary files: 4 KiB read, plus ISO 9660's mark at 32 KiB."""
    try:
        descriptor = open_readonly(path)
        with os.fdopen(descriptor, "rb") as handle:
            head = handle.read(4096)
            if len(head) == 4096:
                handle.seek(ISO_MARK)
                head = head.ljust(ISO_MARK, b"\0") + handle.read(8)
    except OSError:
        return False
    if is_ewf(head):
        return int.from_bytes(head[9:11], "little") == 1  # E02... belong to the E01
    return not _LATER_SEGMENT.search(path) and looks_like_disk(head)
