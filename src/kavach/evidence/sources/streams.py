"""A read-only, seekable stream over anything that reads at an offset.

The disk-image layers hand bytes to each other as file objects (the libyal
bindings and Pillow read those): a region of a disk, a file inside a file system,
a decompressed image. Each says how to read ``count`` bytes at ``offset``; this
class does the rest of the file protocol.
"""

from __future__ import annotations

import io
from abc import abstractmethod
from typing import Any, BinaryIO


class OffsetReader(io.RawIOBase):
    """Reads go to ``read_at``; ``size`` bounds them."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._position = 0

    @abstractmethod
    def read_at(self, offset: int, count: int) -> bytes:
        """``count`` bytes (or fewer at the end) from ``offset``."""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}
        self._position = max(base[whence] + offset, 0)
        return self._position

    def tell(self) -> int:
        return self._position

    def get_size(self) -> int:  # the libyal bindings ask for it
        return self._size

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = max(min(len(buffer), self._size - self._position), 0)
        if count == 0:
            return 0
        data = self.read_at(self._position, count)
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)


class FileWindow(OffsetReader):
    """``size`` bytes of a seekable file from ``start``, as a file of their own.

    Every read puts the file back where it was: the file may be shared with a
    reader that streams it (an archive read member by member) and must not
    notice.
    """

    def __init__(self, file: BinaryIO, start: int, size: int) -> None:
        super().__init__(size)
        self._file = file
        self._start = start

    def read_at(self, offset: int, count: int) -> bytes:
        count = max(min(count, self._size - offset), 0)
        if count == 0:
            return b""
        was = self._file.tell()
        try:
            self._file.seek(self._start + offset)
            return self._file.read(count)
        finally:
            self._file.seek(was)


class Region(OffsetReader):
    """``length`` bytes of a medium (anything with ``read(offset, count)``) from
    ``offset``, as a seekable file."""

    def __init__(self, medium: Any, offset: int, length: int) -> None:
        super().__init__(length)
        self._medium = medium
        self._offset = offset

    def read_at(self, offset: int, count: int) -> bytes:
        count = max(min(count, self._size - offset), 0)
        return bytes(self._medium.read(self._offset + offset, count))
