"""Sealed chunks: AES-256-GCM or a SHA-256 chain, and the files that stream them."""

from __future__ import annotations

import hashlib
import hmac
import io
import struct
from collections.abc import Callable
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kavach.errors import FormatError, InputError

LENGTH = struct.Struct(">I")
NONCE_PREFIX_BYTES = 7
MAX_CHUNKS = 1 << 32  # the counter in the nonce has 4 bytes

WRONG_KEY = "wrong key or passphrase (or the backup's first bytes are damaged)"
TRUNCATED = "truncated: the backup ends before its last part"
TRAILING = "bytes after the end"

OnBytes = Callable[[int], None]


class Sealer(Protocol):
    """Seals and opens chunk ``index``; ``last`` is bound into the seal."""

    overhead: int
    encrypted: bool

    def seal(self, index: int, last: bool, plain: bytes) -> bytes: ...

    def open(self, index: int, last: bool, body: bytes) -> bytes | None:
        """The chunk's bytes, or None if it does not authenticate as given."""
        ...


class GcmSealer:
    """AES-256-GCM; the nonce is prefix + counter + last-flag, the AAD the header."""

    overhead = 16
    encrypted = True

    def __init__(
        self, key: bytes, nonce_prefix: bytes, aad: bytes, key_known: bool = False
    ) -> None:
        self._aead = AESGCM(key)
        self._prefix = nonce_prefix
        self._aad = aad
        # True when the header's key check confirmed the key (backups made since).
        self.key_known = key_known

    def _nonce(self, index: int, last: bool) -> bytes:
        return self._prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")

    def seal(self, index: int, last: bool, plain: bytes) -> bytes:
        return self._aead.encrypt(self._nonce(index, last), plain, self._aad)

    def open(self, index: int, last: bool, body: bytes) -> bytes | None:
        try:
            return self._aead.decrypt(self._nonce(index, last), body, self._aad)
        except InvalidTag:
            return None


class DigestSealer:
    """Chunks in clear, each followed by a SHA-256 chained to the one before."""

    overhead = 32
    encrypted = False

    def __init__(self, aad: bytes) -> None:
        # The chain starts from the header, so a changed header breaks chunk 0.
        self._previous = hashlib.sha256(aad).digest()

    def _digest(self, index: int, last: bool, plain: bytes) -> bytes:
        digest = hashlib.sha256(self._previous)
        digest.update(index.to_bytes(4, "big") + (b"\x01" if last else b"\x00"))
        digest.update(plain)
        return digest.digest()

    def seal(self, index: int, last: bool, plain: bytes) -> bytes:
        self._previous = self._digest(index, last, plain)
        return plain + self._previous

    def open(self, index: int, last: bool, body: bytes) -> bytes | None:
        plain, stored = body[:-32], body[-32:]
        expected = self._digest(index, last, plain)
        if not hmac.compare_digest(expected, stored):
            return None
        self._previous = expected
        return plain


class ChunkWriter:
    """A write-only file that seals each chunk as it fills; tarfile writes into it."""

    def __init__(
        self, out: BinaryIO, sealer: Sealer, chunk_size: int, on_bytes: OnBytes | None
    ) -> None:
        self._out, self._sealer, self._chunk_size = out, sealer, chunk_size
        self._on_bytes = on_bytes
        self._buffer = bytearray()
        self._index = 0
        self._done = 0

    def write(self, data: bytes) -> int:
        self._buffer += data
        # Strictly more than one chunk waiting: the one sealed now cannot be the last.
        while len(self._buffer) > self._chunk_size:
            self._emit(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def finish(self) -> None:
        """Seal what is left as the last chunk; only a complete backup gets one."""
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _emit(self, plain: bytes, last: bool) -> None:
        if self._index >= MAX_CHUNKS:
            raise InputError("the backup has too many chunks: raise the chunk size")
        sealed = self._sealer.seal(self._index, last, plain)
        self._out.write(LENGTH.pack(len(sealed)))
        self._out.write(sealed)
        self._index += 1
        self._done += len(plain)
        if self._on_bytes is not None:
            self._on_bytes(self._done)

    def read(self, size: int = -1, /) -> bytes:
        raise io.UnsupportedOperation("write-only")

    def tell(self) -> int:
        return self._done + len(self._buffer)

    def seek(self, pos: int, /) -> int:
        raise io.UnsupportedOperation("a backup is written as a stream")

    def close(self) -> None:
        return None  # the caller owns the output; finish() ends the backup


class ChunkReader:
    """A read-only file of the payload: no byte comes out before its chunk opens."""

    def __init__(
        self,
        handle: BinaryIO,
        size: int,
        source: str,
        sealer: Sealer,
        max_body: int,
        on_bytes: OnBytes | None,
    ) -> None:
        self._handle, self._size, self._source = handle, size, source
        self._sealer, self._max_body, self._on_bytes = sealer, max_body, on_bytes
        self._plain = b""
        self._pos = 0
        self._index = 0
        self._finished = False

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes (at most the rest of one chunk), b"" at the end."""
        while self._pos >= len(self._plain) and not self._finished:
            self._plain, self._pos = self._next_chunk(), 0
        if size < 0:
            size = len(self._plain) - self._pos
        data = self._plain[self._pos : self._pos + size]
        self._pos += len(data)
        return data

    def drain(self) -> None:
        """Authenticate the chunks tarfile left unread (padding, then the last flag)."""
        while not self._finished:
            self._next_chunk()

    def _next_chunk(self) -> bytes:
        start = self._handle.tell()
        head = self._handle.read(LENGTH.size)
        if len(head) < LENGTH.size:
            raise self._error(TRUNCATED)
        (length,) = LENGTH.unpack(head)
        if not self._sealer.overhead <= length <= self._max_body:
            raise self._damaged(start)
        body = self._handle.read(length)
        if len(body) < length:
            raise self._error(TRUNCATED)
        plain = self._open(body, start, at_end=self._handle.tell() >= self._size)
        self._index += 1
        if self._on_bytes is not None:
            self._on_bytes(self._handle.tell())
        return plain

    def _open(self, body: bytes, start: int, at_end: bool) -> bytes:
        # Try the flag the position suggests first; the other one names the fault.
        for last in (at_end, not at_end):
            plain = self._sealer.open(self._index, last, body)
            if plain is not None:
                break
        else:
            raise self._damaged(start)
        if last and not at_end:
            raise self._error(TRAILING)
        if not last and at_end:
            raise self._error(TRUNCATED)
        self._finished = last
        return plain

    def _damaged(self, start: int) -> FormatError:
        known = getattr(self._sealer, "key_known", False)
        if self._index == 0 and self._sealer.encrypted and not known:
            return self._error(WRONG_KEY)
        return self._error(f"damaged at byte {start} (chunk {self._index})")

    def _error(self, reason: str) -> FormatError:
        return FormatError(self._source, None, reason)

    def write(self, data: bytes, /) -> int:
        raise io.UnsupportedOperation("read-only")

    def tell(self) -> int:
        raise io.UnsupportedOperation("a backup is read as a stream")

    def seek(self, pos: int, /) -> int:
        raise io.UnsupportedOperation("a backup is read as a stream")

    def close(self) -> None:
        return None
