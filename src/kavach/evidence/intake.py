"""Intake of forensic images: their own hashes, E01 headers and stored hashes.

An E01 carries the MD5 (and often SHA-1) computed when it was acquired: intake reads
all the media data and checks them. A raw image carries nothing, so intake records
its SHA-256 (with MD5 and SHA-1) and every later scan checks it again. A failed check
is recorded and loud, and the examiner may still scan.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kavach.errors import EvidenceError

CHUNK = 4 * 1024**2


@dataclass(frozen=True)
class ImageFacts:
    path: str
    kind: str  # the image format: "ewf", "raw", "vmdk", "raw+gzip" ...
    segments: list[str]
    header: dict[str, str]
    stored: dict[str, str]  # acquisition hashes kept in the E01 ("md5", "sha1")
    md5: str
    sha1: str
    sha256: str
    media_size: int


@dataclass(frozen=True)
class Check:
    algorithm: str
    expected: str
    computed: str

    @property
    def ok(self) -> bool:
        return self.expected == self.computed


@dataclass(frozen=True)
class RegisteredImage:
    id: int
    path: str
    kind: str
    sha256: str
    stored: dict[str, str] = field(default_factory=dict)


def read_image(
    path: Path, on_bytes: Callable[[int, int], None] | None = None
) -> ImageFacts:
    """Open ``path`` read-only and hash its media data (E01: the data it stores).

    ``on_bytes(done, total)`` is told the progress after every chunk.
    """
    from kavach.evidence.hashing import MultiHasher
    from kavach.evidence.sources.images import ImageError, open_image

    if not path.is_file():
        raise EvidenceError(f"{path}: no such image")
    try:
        image = open_image(os.fsencode(path.resolve()))
    except ImageError as exc:
        raise EvidenceError(f"{path}: {exc}") from None
    try:
        hasher = MultiHasher()
        size = image.get_size()
        for offset in range(0, size, CHUNK):
            hasher.update_spread(image.read(offset, min(CHUNK, size - offset)))
            if on_bytes is not None:
                on_bytes(min(offset + CHUNK, size), size)
        digests = hasher.digests()
        return ImageFacts(
            path=str(path.resolve()),
            kind=image.kind,
            segments=[os.fsdecode(s) for s in image.segment_files],
            header=image.header(),
            stored=image.stored_hashes(),
            md5=digests.md5,
            sha1=digests.sha1,
            sha256=digests.sha256,
            media_size=size,
        )
    finally:
        image.close()


def intake_checks(facts: ImageFacts) -> list[Check]:
    """What can be checked at intake: an E01's stored hashes (raw images: nothing)."""
    return [
        Check(name, expected, getattr(facts, name))
        for name, expected in sorted(facts.stored.items())
    ]


def recheck(registered: RegisteredImage, now: ImageFacts) -> list[Check]:
    """The image again after a scan: stored hashes (E01), or the intake SHA-256."""
    if registered.kind == "ewf" and registered.stored:
        return [
            Check(name, expected, getattr(now, name))
            for name, expected in sorted(registered.stored.items())
        ]
    return [Check("sha256", registered.sha256, now.sha256)]
