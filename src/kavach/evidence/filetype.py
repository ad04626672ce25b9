"""File type by content (magic bytes), never by name."""

from __future__ import annotations

from dataclasses import dataclass

HEAD_BYTES = 512


@dataclass(frozen=True, slots=True)
class FileType:
    mime: str
    kind: str  # image | zip | tar | 7z | gzip | bzip2 | xz | video | other

    @property
    def is_archive(self) -> bool:
        return self.kind in ("zip", "tar", "7z", "gzip", "bzip2", "xz")


_PREFIXES: tuple[tuple[bytes, FileType], ...] = (
    (b"\xff\xd8\xff", FileType("image/jpeg", "image")),
    (b"\x89PNG\r\n\x1a\n", FileType("image/png", "image")),
    (b"GIF87a", FileType("image/gif", "image")),
    (b"GIF89a", FileType("image/gif", "image")),
    (b"BM", FileType("image/bmp", "image")),
    (b"II*\x00", FileType("image/tiff", "image")),
    (b"MM\x00*", FileType("image/tiff", "image")),
    (b"PK\x03\x04", FileType("application/zip", "zip")),
    (b"PK\x05\x06", FileType("application/zip", "zip")),
    (b"7z\xbc\xaf\x27\x1c", FileType("application/x-7z-compressed", "7z")),
    (b"\x1f\x8b", FileType("application/gzip", "gzip")),
    (b"BZh", FileType("application/x-bzip2", "bzip2")),
    (b"\xfd7zXZ\x00", FileType("application/x-xz", "xz")),
    (b"%PDF-", FileType("application/pdf", "other")),
    (b"SQLite format 3\x00", FileType("application/vnd.sqlite3", "other")),
    (b"\x1aE\xdf\xa3", FileType("video/x-matroska", "video")),
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"}
_VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"mp41",
    b"mp42",
    b"avc1",
    b"qt  ",
    b"3gp4",
    b"3gp5",
    b"3g2a",
    b"M4V ",
    b"dash",
}
OTHER = FileType("application/octet-stream", "other")


def sniff(head: bytes) -> FileType:
    """The type of a file whose first bytes (512 when it has them) are ``head``."""
    for prefix, file_type in _PREFIXES:
        if head.startswith(prefix):
            if prefix == b"BM" and not _plausible_bmp(head):
                continue
            return file_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType("image/webp", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return FileType("video/x-msvideo", "video")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return FileType("image/heic", "image")
        if brand in _VIDEO_BRANDS or brand.startswith(b"3g"):
            return FileType("video/mp4", "video")
    if len(head) >= 262 and head[257:262] == b"ustar":
        return FileType("application/x-tar", "tar")
    if _looks_textual(head):
        return FileType("text/plain", "other")
    return OTHER


def _plausible_bmp(head: bytes) -> bool:
    # "BM" starts many text files; a BMP header's reserved bytes are zero.
    return len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00"


def _looks_textual(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the head
    return True
