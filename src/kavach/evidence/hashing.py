"""MD5, SHA-1 and SHA-256 of a stream in one read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO, Protocol

CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Digests:
    size: int
    md5: str
    sha1: str
    sha256: str


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


class MultiHasher:
    """Feeds each chunk to all three digests."""

    def __init__(self) -> None:
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._sha1 = hashlib.sha1(usedforsecurity=False)
        self._sha256 = hashlib.sha256()
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self._md5.update(chunk)
        self._sha1.update(chunk)
        self._sha256.update(chunk)
        self.size += len(chunk)

    def digests(self) -> Digests:
        return Digests(
            self.size,
            self._md5.hexdigest(),
            self._sha1.hexdigest(),
            self._sha256.hexdigest(),
        )


def hash_stream(stream: BinaryIO, sink: Sink | None = None) -> tuple[Digests, bytes]:
    """Digests of everything left in ``stream`` and its first 512 bytes.

    With a ``sink`` every chunk is also written there (an archive member spooled
    for decoding), so the member is decompressed once.
    """
    hasher = MultiHasher()
    head = b""
    while chunk := stream.read(CHUNK):
        if len(head) < 512:
            head += chunk[: 512 - len(head)]
        hasher.update(chunk)
        if sink is not None:
            sink.write(chunk)
    return hasher.digests(), head
