"""Disk images (raw, split raw, E01) as a planned source: volumes, file systems,
deleted and orphan files, and unallocated space carved for pictures.

Listing (``disk.py``) runs once where the scan is planned; reading (``disk_reader.py``)
runs in the workers, which open each file by its inode.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from kavach.evidence.refs import Layer
from kavach.evidence.sources.disk import SOURCE, list_image
from kavach.evidence.sources.disk_reader import DiskReader
from kavach.evidence.sources.images import is_ewf, looks_like_disk
from kavach.evidence.sources.interface import (
    Container,
    Entry,
    EvidenceSource,
    Origin,
    Probe,
)

# Later segments of a split raw image (x.002 ...) belong to the first one.
RAW_NAMES = (b".dd", b".raw", b".img", b".001")
_LATER_SEGMENT = re.compile(rb"\.(?:0(?:0[2-9]|[1-9]\d)|[1-9]\d\d)$")


class DiskImageSource(EvidenceSource):
    name = SOURCE
    description = (
        "raw, split raw (.001) and E01 disk images: MBR/GPT volumes, file "
        "systems The Sleuth Kit reads, deleted files, carved pictures"
    )
    planned = True

    def __init__(self) -> None:
        self._reader: DiskReader | None = None  # opened images, reused per process

    def recognise(self, probe: Probe) -> int:
        if probe.local_path is None:
            return 0  # an image inside an archive is hashed, not opened
        if is_ewf(probe.head):  # E02... belong to the E01
            return 80 if int.from_bytes(probe.head[9:11], "little") == 1 else 0
        if _LATER_SEGMENT.search(probe.local_path):
            return 0
        if looks_like_disk(probe.head):
            return 60
        # Named as a raw image but recognised by nothing: a damaged volume, which
        # is reported and carved whole rather than hashed as an opaque file.
        return 30 if probe.local_path.lower().endswith(RAW_NAMES) else 0

    def entries(self, container: Container) -> Iterator[Entry]:
        assert container.local_path is not None
        return list_image(container.local_path, container.spec)

    def open(self, entry: Entry) -> BinaryIO:
        if isinstance(entry.locator, bytes):  # a carved picture, already in memory
            return io.BytesIO(entry.locator)
        return self._disk().open(entry.locator)

    def expand(self, entry: Entry) -> Iterator[Entry]:
        """Pictures carved from a stretch of unallocated space."""
        volume = entry.spec.up_to(Layer.VOLUME)
        assert volume is not None
        for carved in self._disk().carve(entry.locator):
            name = b"$Carved/%d.%s" % (carved.offset, carved.kind.encode())
            yield Entry(
                volume.child(Layer.FS, name),
                self.name,
                carved.data,
                Origin(carved=True, offset=carved.offset),
            )

    def read_problem(self, entry: Entry, error: OSError) -> str:
        state = "deleted file" if entry.origin.deleted else "file"
        return f"{state} content not recoverable: {error}"

    def _disk(self) -> DiskReader:
        if self._reader is None:
            self._reader = DiskReader()
        return self._reader
