"""Whole-read sector decryption equals ``cryptography``'s own XTS and CBC, sector by
sector, for every IV kind dm-crypt writes (the LUKS samples check it end to end)."""

from __future__ import annotations

import hashlib
import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kavach.evidence.sources.image_formats import ImageError
from kavach.evidence.sources.sector_ciphers import Sectors


def _iv(kind: str, number: int, key: bytes) -> bytes:
    if kind == "plain":
        return (number % 2**32).to_bytes(4, "little") + bytes(12)
    if kind == "plain64":
        return number.to_bytes(8, "little") + bytes(8)
    if kind == "plain64be":
        return bytes(8) + number.to_bytes(8, "big")
    assert kind == "essiv:sha256"
    salt = hashlib.sha256(key).digest()
    encryptor = Cipher(algorithms.AES(salt), modes.ECB()).encryptor()
    return encryptor.update(number.to_bytes(8, "little") + bytes(8))


def _reference(spec: str, key: bytes, data: bytes, first: int, sector: int) -> bytes:
    """One ``cryptography`` cipher a sector, the IV made from its 512-byte number."""
    _aes, mode, iv_kind = spec.split("-", 2)
    out = b""
    for index in range(0, len(data), sector):
        iv = _iv(iv_kind, first + index // 512, key)
        chosen = modes.XTS(iv) if mode == "xts" else modes.CBC(iv)
        decryptor = Cipher(algorithms.AES(key), chosen).decryptor()
        out += decryptor.update(data[index : index + sector]) + decryptor.finalize()
    return out


@pytest.mark.parametrize(
    ("spec", "key_bytes"),
    [
        ("aes-xts-plain64", 32),
        ("aes-xts-plain64", 64),
        ("aes-xts-plain", 64),
        ("aes-xts-plain64be", 32),
        ("aes-xts-essiv:sha256", 64),
        ("aes-cbc-essiv:sha256", 32),
        ("aes-cbc-essiv:sha256", 16),
        ("aes-cbc-plain64", 32),
        ("aes-cbc-plain", 24),
    ],
)
@pytest.mark.parametrize("sector", [512, 4096])
def test_whole_reads_equal_the_sector_by_sector_reference(
    spec: str, key_bytes: int, sector: int
) -> None:
    key = os.urandom(key_bytes)
    data = os.urandom(sector * 24)
    # A sector number past 2**32 shows "plain" wrapping where "plain64" does not.
    for first in (0, 8, 2**32 - 16):
        ours = Sectors(spec, sector, iv_offset=0).decrypt(key, data, first)
        assert ours == _reference(spec, key, data, first, sector), (spec, first)
    shifted = Sectors(spec, sector, iv_offset=5).decrypt(key, data, 3)
    assert shifted == _reference(spec, key, data, 8, sector)


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("serpent-xts-plain64", "AES only"),
        ("aes-gcm-random", "mode 'gcm'"),
        ("aes-cbc-lmk", "IV 'lmk'"),
        ("aes-cbc-essiv:sha1", "no AES key"),
        ("aes", "not a cipher-mode-iv spec"),
    ],
)
def test_what_cannot_be_decrypted_is_refused_by_name(spec: str, why: str) -> None:
    with pytest.raises(ImageError, match=why):
        Sectors(spec)
