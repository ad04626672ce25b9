"""Disk images (raw, split raw, E01) as a planned source: volumes, file systems,
deleted and orphan files, and unallocated space carved for pictures.

Listing (``disk.py``) runs once where the scan is planned; reading (``disk_reader.py``)
runs in the workers, which open each file by its inode.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from kavach.evidence.keys import NO_KEYS, KeyRing
from kavach.evidence.refs import Layer, PathSpec
from kavach.evidence.sources.compressed import compression_of
from kavach.evidence.sources.disk import SOURCE, list_disk, list_image
from kavach.evidence.sources.disk_reader import DiskReader
from kavach.evidence.sources.image_formats import Look
from kavach.evidence.sources.images import (
    ImageError,
    compressed_disk,
    formats,
    looks_like_disk,
    open_image_stream,
)
from kavach.evidence.sources.interface import (
    Container,
    Entry,
    EvidenceSource,
    Opener,
    Origin,
    Probe,
)
from kavach.vocabulary import WarningStage

RAW_NAMES = (b".dd", b".raw", b".img", b".001")


class DiskImageSource(EvidenceSource):
    name = SOURCE
    description = (
        "disk images (raw, split raw, E01, VMDK, VHD/VHDX, QCOW2, DMG, Parallels, "
        "Android sparse; gzip/xz/bzip2-compressed): MBR/GPT/APM volumes, file "
        "systems The Sleuth Kit reads, deleted files, carved pictures"
    )
    planned = True

    def __init__(self, keys: KeyRing = NO_KEYS) -> None:
        self._keys = keys  # for encrypted volumes; held in memory only
        self._reader: DiskReader | None = None  # opened images, reused per process

    def recognise(self, probe: Probe) -> int:
        if probe.local_path is None:
            return 0  # an image inside an archive: the examiner opens it (inside)
        look = Look(probe.head, probe.tail, probe.local_path)
        if formats().is_part(look):
            return 0  # E02, a VMDK extent, x.002: read through the first file
        if formats().detect(look) is not None:
            return 80
        if compression_of(probe.head) is not None:
            with open(probe.local_path, "rb") as handle:
                return 80 if compressed_disk(probe.head, handle) else 0
        if looks_like_disk(probe.head):
            return 60
        # Named as a raw image but recognised by nothing: a damaged volume, which
        # is reported and carved whole rather than hashed as an opaque file.
        return 30 if probe.local_path.lower().endswith(RAW_NAMES) else 0

    def entries(self, container: Container) -> Iterator[Entry]:
        assert container.local_path is not None
        return list_image(container.local_path, container.spec, self._keys)

    def inside(
        self, spec: PathSpec, opener: Opener, max_expanded: int | None = None
    ) -> Iterator[Entry]:
        """The entries of a disk image held in a stream (a member of an archive, a
        file inside another disk image), listed and read in this worker.

        The image is read in place through ``opener``'s seekable stream; its
        entries can be opened (and carved) only while this generator runs.
        """
        key = b"\0inside:" + spec.raw()  # no file has this name
        try:
            image = open_image_stream(opener, spec.name, max_expanded)
        except ImageError as exc:
            yield Entry(
                spec,
                self.name,
                problem=f"disk image not read: {exc}",
                stage=WarningStage.CONTAINER,
            )
            return
        reader = self._disk()
        reader.attach(key, image)
        try:
            yield from list_disk(image, key, spec, self._keys)
        finally:
            reader.detach(key)

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
            self._reader = DiskReader(self._keys)
        return self._reader
