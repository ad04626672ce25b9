"""Decompression bombs in the shape of 42.zip, built at test time in a second.

Each level is a zip of 16 copies of the level below, written by hand: the
deflate stream of one member is computed once and repeated, so a bomb that expands
to terabytes is built without ever holding them.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

COPIES = 16


@dataclass(frozen=True)
class Member:
    name: str
    deflated: bytes
    crc: int
    size: int


def deflate_zeros(size: int) -> Member:
    """``size`` zero bytes, deflated once (the leaf of the bomb)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(1 << 20)
    parts, crc, left = [], 0, size
    while left:
        chunk = block[: min(left, len(block))]
        parts.append(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
        left -= len(chunk)
    parts.append(compressor.flush())
    return Member("0.bin", b"".join(parts), crc, size)


def deflate(name: str, data: bytes) -> Member:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush()
    return Member(name, deflated, zlib.crc32(data), len(data))


def zip_of(members: list[Member]) -> bytes:
    """A zip archive holding ``members`` (deflate, no data descriptors)."""
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode()
        offset = len(out)
        fields = (20, 0, 8, 0, 0, member.crc, len(member.deflated), member.size)
        out += struct.pack("<IHHHHHIII", 0x04034B50, *fields)
        out += struct.pack("<HH", len(name), 0) + name + member.deflated
        central += struct.pack("<IHHHHHHIII", 0x02014B50, 20, *fields)
        central += struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += central
    count = len(members)
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0
    )
    return bytes(out)


def nested_zip_bomb(levels: int, leaf_bytes: int) -> bytes:
    """A zip ``levels`` deep, 16 copies a level: 16**levels leaves of zeros."""
    leaf = deflate_zeros(leaf_bytes)
    archive = zip_of(
        [Member(f"{i}.bin", leaf.deflated, leaf.crc, leaf.size) for i in range(COPIES)]
    )
    for level in range(1, levels):
        inner = deflate("x.zip", archive)
        archive = zip_of(
            [
                Member(f"{level}-{i}.zip", inner.deflated, inner.crc, inner.size)
                for i in range(COPIES)
            ]
        )
    return archive
