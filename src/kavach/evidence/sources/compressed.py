"""Compressed disk images (``disk.raw.gz``, ``.xz``, ``.bz2``) read in place.

The Sleuth Kit reads a disk at random offsets; a compressed stream can only be read
forwards. ``Decompressed`` serves random reads without writing the disk out: one
pass at open learns the size and, for gzip, keeps the decompressor's state every
``CHECKPOINT`` bytes (zlib states can be copied), so a later read restarts from the
nearest checkpoint before it. xz and bzip2 decompressors cannot be copied: a read
behind the current position starts again from the beginning, which is correct but
slow on a large image (said in the docs). Recently read blocks are kept.
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Protocol

BLOCK = 1 << 20  # what one read decompresses and the cache keeps
CACHED_BLOCKS = 64
CHECKPOINT = 32 * BLOCK
_INPUT = 1 << 16

GZIP_MAGIC = b"\x1f\x8b"
XZ_MAGIC = b"\xfd7zXZ\x00"
BZIP2_MAGIC = b"BZh"


class CompressedError(Exception):
    """A compressed image that is damaged or truncated."""


class _Inflater(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes, max_length: int = ..., /) -> bytes: ...


def compression_of(head: bytes) -> str | None:
    """``gzip``, ``xz`` or ``bzip2`` when ``head`` starts such a stream."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(XZ_MAGIC):
        return "xz"
    if head.startswith(BZIP2_MAGIC) and head[4:10] == b"\x31\x41\x59\x26\x53\x59":
        return "bzip2"
    return None


_ZLIB = type(zlib.decompressobj())
_COPYABLE = ("gzip", "deflate")  # zlib's states can be copied: checkpoints


def _new_inflater(kind: str) -> _Inflater:
    if kind == "gzip":
        return zlib.decompressobj(wbits=31)
    if kind == "deflate":  # raw deflate, as a zip member stores it
        return zlib.decompressobj(wbits=-15)
    if kind == "xz":
        return lzma.LZMADecompressor()
    return bz2.BZ2Decompressor()


def decompressed_head(handle: BinaryIO, kind: str, size: int = 64 * 1024) -> bytes:
    """The first ``size`` decompressed bytes (what recognising the inside needs)."""
    inflater = _new_inflater(kind)
    out = bytearray()
    try:
        while len(out) < size:
            data = handle.read(_INPUT)
            if not data:
                break
            out += inflater.decompress(data, size - len(out))
            if inflater.eof:
                break
    except (OSError, EOFError, lzma.LZMAError, zlib.error):
        pass  # damaged: what was read so far is all the head there is
    return bytes(out[:size])


@dataclass
class _Cursor:
    """Where the forward pass stands: input read, output made, the decompressor."""

    inflater: _Inflater
    read_at: int  # bytes of compressed input consumed
    pending: bytes  # input given to the decompressor but not yet used
    made: int  # decompressed bytes produced so far


class Decompressed:
    """The decompressed bytes of a gzip / xz / bzip2 file (or a zip member's raw
    deflate stream), read at random offsets."""

    def __init__(
        self, open_file: Callable[[], BinaryIO], kind: str, limit: int | None = None
    ) -> None:
        self.kind = kind
        self._limit = limit  # the most it may decompress to (a bomb beyond)
        self._handle = open_file()
        self._checkpoints: list[tuple[int, _Cursor]] = []
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cursor = self._start()
        self.size = self._measure()
        self._cursor = self._start()

    def close(self) -> None:
        self._handle.close()

    def _start(self) -> _Cursor:
        return _Cursor(_new_inflater(self.kind), 0, b"", 0)

    def _measure(self) -> int:
        """One pass to the end: the size, and gzip's checkpoints on the way."""
        next_checkpoint = 0
        while True:
            if self.kind in _COPYABLE and self._cursor.made >= next_checkpoint:
                self._checkpoints.append((self._cursor.made, self._copy(self._cursor)))
                next_checkpoint = self._cursor.made + CHECKPOINT
            if not self._advance(BLOCK):
                return self._cursor.made
            if self._limit is not None and self._cursor.made > self._limit:
                raise CompressedError(
                    f"decompresses to more than {self._limit:,} bytes, the most "
                    "allowed for it (a decompression bomb?)"
                )

    def _copy(self, cursor: _Cursor) -> _Cursor:
        inflater = cursor.inflater
        assert isinstance(inflater, _ZLIB)
        return _Cursor(inflater.copy(), cursor.read_at, cursor.pending, cursor.made)

    def _advance(self, want: int) -> bytes:
        """Up to ``want`` more decompressed bytes from the cursor; b"" at the end."""
        cursor = self._cursor
        out = bytearray()
        while len(out) < want:
            if cursor.inflater.eof:
                # What follows the member (zlib repeats it in unconsumed_tail).
                rest = cursor.inflater.unused_data
                cursor.pending = b""
                if not rest:
                    rest = self._read_more(cursor)
                if not rest.strip(b"\0"):
                    break  # the end (some tools pad the last member with zeros)
                cursor.inflater = _new_inflater(self.kind)  # another member
                cursor.pending = rest
            try:
                chunk = self._inflate(cursor, want - len(out))
            except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
                raise CompressedError(
                    f"{self.kind} stream damaged near byte {cursor.read_at:,} of the "
                    f"file: {exc}"
                ) from None
            if chunk:
                out += chunk
                continue
            if cursor.inflater.eof:
                continue
            more = self._read_more(cursor)
            if not more:
                raise CompressedError(
                    f"{self.kind} stream ends early after {cursor.made + len(out):,} "
                    "decompressed bytes: the file is truncated"
                )
            cursor.pending += more
        cursor.made += len(out)
        return bytes(out)

    def _read_more(self, cursor: _Cursor) -> bytes:
        self._handle.seek(cursor.read_at)
        data = self._handle.read(_INPUT)
        cursor.read_at += len(data)
        return data

    def _inflate(self, cursor: _Cursor, limit: int) -> bytes:
        inflater = cursor.inflater
        if isinstance(inflater, _ZLIB):
            chunk = inflater.decompress(cursor.pending, limit)
            cursor.pending = inflater.unconsumed_tail
            return chunk
        # lzma and bz2 keep input they have not used themselves.
        if not cursor.pending and getattr(inflater, "needs_input", True):
            return b""
        data, cursor.pending = cursor.pending, b""
        return inflater.decompress(data, limit)

    def read(self, offset: int, size: int) -> bytes:
        size = max(min(size, self.size - offset), 0)
        out = bytearray()
        position = offset
        while len(out) < size:
            index = position // BLOCK
            block = self._block(index)
            start = position - index * BLOCK
            piece = block[start : start + size - len(out)]
            if not piece:
                break
            out += piece
            position += len(piece)
        return bytes(out)

    def _block(self, index: int) -> bytes:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        target = index * BLOCK
        behind = self._cursor.made > target
        # Far ahead, a gzip checkpoint is nearer than the cursor; xz and bzip2
        # have none and simply read on.
        far = bool(self._checkpoints) and target - self._cursor.made > CHECKPOINT
        if behind or far:
            self._rewind(target)
        while True:
            at = self._cursor.made
            block = self._advance(BLOCK - at % BLOCK)
            if at % BLOCK == 0:
                self._keep(at // BLOCK, block)
            if not block or at // BLOCK == index:
                return self._cache.get(index, b"")

    def _rewind(self, target: int) -> None:
        """Put the cursor at the last checkpoint at or before ``target``."""
        if not self._checkpoints:
            self._cursor = self._start()
            return
        _, best = max(
            (pair for pair in self._checkpoints if pair[0] <= target),
            key=lambda pair: pair[0],
        )
        self._cursor = self._copy(best)

    def _keep(self, index: int, block: bytes) -> None:
        self._cache[index] = block
        if len(self._cache) > CACHED_BLOCKS:
            self._cache.popitem(last=False)
