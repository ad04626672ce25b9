"""The scan plan: everything a scan examines, numbered in a fixed order.

The root is listed by the folder source, one folder at a time in sorted order. A
folder that another folder source recognises (an iOS backup) is listed by that
source instead; right after a file that a planned source recognises (a disk image),
that source's entries follow. Every entry becomes one ``ScanItem``; the checkpoint
of a resumed scan counts these numbers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from kavach.evidence.pickling import plain_pickle
from kavach.evidence.refs import PathSpec
from kavach.evidence.sources import (
    Container,
    Entry,
    EvidenceSource,
    Probe,
    SourceRegistry,
)
from kavach.evidence.sources.folder import open_readonly

PROBE_BYTES = 4096
ISO_MARK = 0x8001  # where ISO 9660 writes CD001


@plain_pickle
@dataclass(frozen=True, slots=True)
class ScanItem:
    """One entry to examine (a file, a stretch to carve, or a problem), numbered."""

    seq: int
    entry: Entry


def inventory(root: bytes, sources: SourceRegistry) -> Iterator[ScanItem]:
    """Every item a scan of ``root`` (a folder or one file) examines, in order."""
    if os.path.isdir(root):
        spec = PathSpec.file(b"")
        lister = _folder_source(sources, spec, root)
    else:
        spec = PathSpec.file(os.path.basename(root))
        lister = sources.get("folder")
    entries = _plan(sources, lister, Container(spec, local_path=root))
    for seq, entry in enumerate(entries):
        yield ScanItem(seq, entry)


def _plan(
    sources: SourceRegistry, lister: EvidenceSource, container: Container
) -> Iterator[Entry]:
    for entry in lister.entries(container):
        path = lister.local_path(entry)
        if entry.folder and path is not None:
            inner = _folder_source(sources, entry.spec, path)
            yield from _plan(sources, inner, Container(entry.spec, local_path=path))
            continue
        yield entry
        if entry.problem is None and path is not None:
            yield from _inside(sources, entry.spec, path)


def _folder_source(
    sources: SourceRegistry, spec: PathSpec, folder: bytes
) -> EvidenceSource:
    probe = Probe(spec, b"", None, local_path=folder, folder=True)
    return sources.recognise(probe, planned=True) or sources.get("folder")


def _inside(sources: SourceRegistry, spec: PathSpec, path: bytes) -> Iterator[Entry]:
    """The entries of a planned source (a disk image) that recognises this file."""
    read = _head(path)
    if read is None:
        return  # unreadable: the worker examining the file reports it
    head, tail = read
    # Not sniffed: planned file sources (disk images) read the head themselves.
    probe = Probe(spec, head, None, local_path=path, tail=tail)
    source = sources.recognise(probe, planned=True)
    if source is not None:
        yield from source.entries(Container(spec, local_path=path))


def _head(path: bytes) -> tuple[bytes, bytes] | None:
    """4 KiB, plus ISO 9660's mark at 32 KiB, and the last 512 bytes (where fixed
    VHDs and DMGs keep their mark): cheap for ordinary files."""
    tail = b""
    try:
        # Plain preads on the descriptor: the walk probes every file of a phone,
        # and a buffered file object costs more than the reads themselves.
        fd = open_readonly(path)
        try:
            head = os.pread(fd, PROBE_BYTES, 0)
            if len(head) == PROBE_BYTES:
                size = os.fstat(fd).st_size
                if size > PROBE_BYTES:  # a 4 KiB file's tail is in its head
                    tail = os.pread(fd, 512, size - 512)
                head = head.ljust(ISO_MARK, b"\0") + os.pread(fd, 8, ISO_MARK)
        finally:
            os.close(fd)
    except OSError:
        return None
    return head, tail
