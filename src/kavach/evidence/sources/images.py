"""Opening forensic images read-only: EnCase E01 (via pyewf), raw and split raw.

pytsk3 cannot open E01 itself (it silently treats the file as raw), so every image
is handed to The Sleuth Kit as an ``Img_Info`` subclass whose reads Kavach serves.
"""

from __future__ import annotations

import glob
import os
import re
from typing import Any

import pytsk3

EWF_SIGNATURE = b"EVF\x09\x0d\x0a\xff\x00"
_SPLIT = re.compile(rb"\.(\d{3})$")


class ImageError(Exception):
    """An image that cannot be opened (missing segment, corrupt header)."""


def is_ewf(head: bytes) -> bool:
    return head.startswith(EWF_SIGNATURE)


def looks_like_disk(head: bytes) -> bool:
    """A partition table or a file system The Sleuth Kit reads starts ``head``.

    ``head`` must hold the first 4 KiB, and up to 0x8006 to see ISO 9660's mark.
    """
    if len(head) >= 512 and head[510:512] == b"\x55\xaa":
        boot = head[:512]
        fat = b"FAT" in boot[0x36:0x3E] or b"FAT32" in boot[0x52:0x5A]
        ntfs = boot[3:11] in (b"NTFS    ", b"EXFAT   ", b"-FVE-FS-")
        mbr = _plausible_mbr(boot)
        if fat or ntfs or mbr:
            return True
    if head[512:520] == b"EFI PART":
        return True
    if len(head) >= 1082 and head[1080:1082] == b"\x53\xef":  # ext2/3/4
        return True
    if head[1024:1026] in (b"H+", b"HX"):  # HFS+
        return True
    if head[0x8001:0x8006] == b"CD001":  # ISO 9660
        return True
    return head.startswith(b"LUKS\xba\xbe")


def _plausible_mbr(boot: bytes) -> bool:
    entries = [boot[446 + 16 * i : 462 + 16 * i] for i in range(4)]
    used = [e for e in entries if e[4] != 0]
    return bool(used) and all(e[0] in (0x00, 0x80) for e in entries)


def segments(path: bytes) -> list[bytes]:
    """The files of a split raw image (``x.001``, ``x.002`` ...), or just ``path``."""
    match = _SPLIT.search(path)
    if not match:
        return [path]
    stem = path[: match.start()]
    found = sorted(glob.glob(glob.escape(stem) + b".[0-9][0-9][0-9]"))
    return found or [path]


class EwfImage(pytsk3.Img_Info):  # type: ignore[misc]
    """An E01 (and its E02... segments) served to TSK through pyewf."""

    def __init__(self, path: bytes) -> None:
        import pyewf

        try:
            files = pyewf.glob(os.fsdecode(path))
            self.handle = pyewf.handle()
            self.handle.open(files)
        except (OSError, RuntimeError) as exc:
            raise ImageError(f"E01 not opened: {_first_line(exc)}") from None
        try:  # a missing later segment only shows when its data is read
            self.handle.seek(max(self.handle.get_media_size() - 1, 0))
            self.handle.read(1)
        except (OSError, RuntimeError) as exc:
            self.handle.close()
            raise ImageError(
                f"E01 not opened (a segment is missing or damaged): {_first_line(exc)}"
            ) from None
        self.segment_files = files
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def close(self) -> None:
        self.handle.close()

    def read(self, offset: int, size: int) -> bytes:
        self.handle.seek(offset)
        return bytes(self.handle.read(size))

    def get_size(self) -> int:
        return int(self.handle.get_media_size())

    def header(self) -> dict[str, str]:
        values = {}
        for key in (
            "case_number",
            "description",
            "examiner_name",
            "evidence_number",
            "notes",
            "acquiry_date",
            "system_date",
            "acquiry_software_version",
        ):
            value = self.handle.get_header_value(key)
            if value:
                values[key] = str(value)
        return values

    def stored_hashes(self) -> dict[str, str]:
        values = {}
        for name in ("MD5", "SHA1"):
            value = self.handle.get_hash_value(name)
            if value:
                values[name.lower()] = str(value).lower()
        return values


class RawImage(pytsk3.Img_Info):  # type: ignore[misc]
    """A raw image, possibly split into numbered segments, read-only."""

    def __init__(self, path: bytes) -> None:
        self.segment_files = segments(path)
        self._parts: list[tuple[int, int, Any]] = []
        offset = 0
        for segment in self.segment_files:
            size = os.path.getsize(segment)
            self._parts.append((offset, size, open(segment, "rb")))  # noqa: SIM115
            offset += size
        self._size = offset
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def close(self) -> None:
        for _, _, handle in self._parts:
            handle.close()

    def read(self, offset: int, size: int) -> bytes:
        chunks = []
        for start, length, handle in self._parts:
            if offset >= start + length or offset + size <= start:
                continue
            inner = max(offset - start, 0)
            handle.seek(inner)
            chunks.append(
                handle.read(min(length - inner, offset + size - start - inner))
            )
        return b"".join(chunks)

    def get_size(self) -> int:
        return self._size


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.split(". ")[0].splitlines()[0] if text else type(exc).__name__


def open_image(path: bytes) -> EwfImage | RawImage:
    with open(path, "rb") as handle:
        head = handle.read(8)
    return EwfImage(path) if is_ewf(head) else RawImage(path)
