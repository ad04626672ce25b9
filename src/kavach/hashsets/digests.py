"""Checking and normalising hex digests as lists spell them."""

from __future__ import annotations

import string

from kavach.errors import FormatError
from kavach.hashsets.model import HEX_LENGTHS, Algorithm

_HEX = frozenset(string.hexdigits)
_BY_LENGTH = {
    32: Algorithm.MD5,
    40: Algorithm.SHA1,
    64: Algorithm.SHA256,
    128: Algorithm.SHA512,
}


def is_hex(value: str, length: int) -> bool:
    """True when ``value`` is exactly ``length`` hex digits."""
    return len(value) == length and all(c in _HEX for c in value)


def normalize(value: str, algorithm: Algorithm, source: str, where: str) -> str:
    """Lowercase hex of ``value``, or a ``FormatError`` naming the field."""
    text = value.strip().lower()
    if text.startswith("0x"):
        text = text[2:]
    if not is_hex(text, HEX_LENGTHS[algorithm]):
        raise FormatError(
            source, where, f"{algorithm.value} is not valid hex: {value!r}"
        )
    return text


def optional(
    value: str | None, algorithm: Algorithm, source: str, where: str
) -> str | None:
    """Like ``normalize`` but an empty or missing value gives ``None``."""
    if value is None or not str(value).strip():
        return None
    return normalize(str(value), algorithm, source, where)


def algorithm_for_length(value: str) -> Algorithm | None:
    """Guess an exact algorithm from a bare hex digest's length (md5sum-style lists)."""
    text = value.strip().lower()
    algorithm = _BY_LENGTH.get(len(text))
    if algorithm is None or not is_hex(text, len(text)):
        return None
    return algorithm
