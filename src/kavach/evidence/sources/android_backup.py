"""Android backups (``adb backup`` ``.ab`` files) as a nested source.

The format (AOSP's BackupManagerService): a text header of four lines — the magic
``ANDROID BACKUP``, a version (1-5), ``1`` when the rest is zlib-compressed, and
``none`` or ``AES-256`` — then a tar of the apps' files (``apps/<package>/...``).
Members stream past as in any tar. An encrypted backup is a "container not read"
warning: its password is the user's, and Kavach does not take one for it yet.
"""

from __future__ import annotations

import io
import tarfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO, cast

from kavach.evidence.refs import Layer, clean_member_name
from kavach.evidence.sources.interface import (
    Container,
    Entry,
    EvidenceSource,
    Probe,
    SourceError,
)
from kavach.vocabulary import WarningStage

MAGIC = b"ANDROID BACKUP\n"
_CHUNK = 1 << 16


class _Inflating(io.RawIOBase):
    """A zlib stream read forwards, decompressed as it is read."""

    def __init__(self, raw: BinaryIO, leftover: bytes) -> None:
        self._raw = raw
        self._inflater = zlib.decompressobj()
        self._pending = leftover
        self._out = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._out and not self._inflater.eof:
            data = self._pending or self._raw.read(_CHUNK)
            self._pending = b""
            if not data:
                raise OSError("Android backup ends early: the file is truncated")
            try:
                self._out = self._inflater.decompress(data, _CHUNK)
            except zlib.error as exc:
                raise OSError(f"Android backup damaged: {exc}") from None
            self._pending = self._inflater.unconsumed_tail
        count = min(len(buffer), len(self._out))
        buffer[:count] = self._out[:count]
        self._out = self._out[count:]
        return count


def _header(stream: BinaryIO) -> tuple[int, bool, str, bytes]:
    """(version, compressed, encryption, bytes read past the header)."""
    head = stream.read(4096)
    lines = head.split(b"\n", 4)
    if len(lines) < 5 or lines[0] + b"\n" != MAGIC:
        raise SourceError("not an Android backup (header damaged)")
    try:
        version, compressed = int(lines[1]), lines[2] == b"1"
    except ValueError:
        raise SourceError("Android backup header damaged (version)") from None
    return version, compressed, lines[3].decode("ascii", "replace"), lines[4]


class AndroidBackupSource(EvidenceSource):
    name = "android-backup"
    description = "Android backups (adb backup .ab: zlib-compressed tar of app data)"

    def recognise(self, probe: Probe) -> int:
        return 90 if probe.head.startswith(MAGIC) else 0

    def entries(self, container: Container) -> Iterator[Entry]:
        assert container.opener is not None
        with container.opener() as stream:
            version, compressed, encryption, rest = _header(stream)
            if encryption != "none":
                yield Entry(
                    container.spec,
                    self.name,
                    problem=f"Android backup (version {version}) encrypted with "
                    f"{encryption}: not read (its password is the phone user's)",
                    stage=WarningStage.CONTAINER,
                )
                return
            body: BinaryIO
            if compressed:
                body = cast(BinaryIO, io.BufferedReader(_Inflating(stream, rest)))
            else:
                body = cast(BinaryIO, _Prefixed(rest, stream))
            try:
                with tarfile.open(fileobj=body, mode="r|") as archive:
                    for member in archive:
                        name = clean_member_name(
                            member.name.encode("utf-8", "surrogateescape")
                        )
                        if not member.isfile():
                            continue
                        content = archive.extractfile(member)
                        if content is None:
                            continue
                        yield Entry(
                            container.spec.child(Layer.MEMBER, name),
                            self.name,
                            content,
                        )
            except (tarfile.TarError, OSError, EOFError) as exc:
                raise SourceError(f"Android backup not read on: {exc}") from None

    def open(self, entry: Entry) -> BinaryIO:
        return cast(BinaryIO, entry.locator)


class _Prefixed(io.RawIOBase):
    """Bytes already read, then the rest of the stream (an uncompressed backup)."""

    def __init__(self, first: bytes, rest: BinaryIO) -> None:
        self._first = first
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._first:
            count = min(len(buffer), len(self._first))
            buffer[:count] = self._first[:count]
            self._first = self._first[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
