"""Path specs: where a file lies, as raw bytes and as the text reports show.

A spec is a chain of names: the path relative to the scanned root, then one name per
archive level. Text joins them with ``!/`` (``a.zip!/b.zip!/c.jpg``). Names are kept
as raw bytes so a file whose name is not UTF-8 keeps its exact name; the text form
writes such bytes as ``\\xNN``.
"""

from __future__ import annotations

SEPARATOR = b"!/"


def join(parent: bytes, member: bytes) -> bytes:
    """The spec of ``member`` inside the archive at ``parent``."""
    return parent + SEPARATOR + member


def display(spec: bytes) -> str:
    """Text for reports and CSV; undecodable bytes become ``\\xNN``."""
    return spec.decode("utf-8", errors="backslashreplace")


def is_utf8(spec: bytes) -> bool:
    try:
        spec.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def clean_member_name(name: bytes) -> bytes:
    """An archive member's name made relative and unable to climb out of the archive.

    Leading ``/`` is dropped and ``..`` never rises above the archive's root, so
    ``/etc/x`` becomes ``etc/x`` and ``../../x`` becomes ``x``.
    """
    text = name.replace(b"\\", b"/") if b"/" not in name else name
    parts: list[bytes] = []
    for part in text.split(b"/"):
        if part in (b"", b"."):
            continue
        if part == b"..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return b"/".join(parts) or b"_"
