"""MD5, SHA-1 and SHA-256 (and SHA-512 when a list needs it) of a stream in one read."""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO, Protocol

CHUNK = 1 << 20
# From this many bytes on, MD5 runs on a second thread beside SHA-1 + SHA-256
# (hashlib releases the GIL), so one large file keeps two cores busy.
SPREAD_FROM = 8 * CHUNK


@dataclass(frozen=True, slots=True)
class Digests:
    size: int
    md5: str
    sha1: str
    sha256: str
    sha512: str | None = None  # only when a list of the scan carries SHA-512


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


class MultiHasher:
    """Feeds each chunk to all three digests (four with ``sha512``).

    SHA-512 runs at less than half SHA-256's speed here, so it is computed only when
    a list of the scan carries SHA-512 digests.
    """

    def __init__(self, sha512: bool = False) -> None:
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._sha1 = hashlib.sha1(usedforsecurity=False)
        self._sha256 = hashlib.sha256()
        self._sha512 = hashlib.sha512() if sha512 else None
        self._pending: Future[None] | None = None
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self._md5.update(chunk)
        self._sha1.update(chunk)
        self._sha256.update(chunk)
        if self._sha512 is not None:
            self._sha512.update(chunk)
        self.size += len(chunk)

    def update_spread(self, chunk: bytes) -> None:
        """Like ``update``, with MD5 on the helper thread; ``settle`` before reading."""
        self.settle()
        self._pending = _helper().submit(self._md5.update, chunk)
        self._sha1.update(chunk)
        self._sha256.update(chunk)
        if self._sha512 is not None:
            self._sha512.update(chunk)
        self.size += len(chunk)

    def settle(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None

    def digests(self) -> Digests:
        self.settle()
        return Digests(
            self.size,
            self._md5.hexdigest(),
            self._sha1.hexdigest(),
            self._sha256.hexdigest(),
            self._sha512.hexdigest() if self._sha512 is not None else None,
        )


def hash_stream(
    stream: BinaryIO, sink: Sink | None = None, sha512: bool = False
) -> tuple[Digests, bytes]:
    """Digests of everything left in ``stream`` and its first 512 bytes.

    With a ``sink`` every chunk is also written there (an archive member spooled
    for decoding), so the member is decompressed once.
    """
    hasher = MultiHasher(sha512)
    head = b""
    while chunk := stream.read(CHUNK):
        if len(head) < 512:
            head += chunk[: 512 - len(head)]
        if hasher.size >= SPREAD_FROM:
            hasher.update_spread(chunk)
        else:
            hasher.update(chunk)
        if sink is not None:
            sink.write(chunk)
    return hasher.digests(), head


_helper_pool: ThreadPoolExecutor | None = None


def _helper() -> ThreadPoolExecutor:
    """One helper thread a process, made on first use."""
    global _helper_pool
    if _helper_pool is None:
        _helper_pool = ThreadPoolExecutor(1, thread_name_prefix="kavach-md5")
    return _helper_pool


def _forget_helper() -> None:
    # A forked child has no copy of the parent's thread: it must start its own.
    global _helper_pool
    _helper_pool = None


os.register_at_fork(after_in_child=_forget_helper)
