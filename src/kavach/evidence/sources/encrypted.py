"""Encrypted volumes unlocked with a key the unit obtained: BitLocker (via libbde)
and LUKS1 / LUKS2 (Kavach's own reader, ``luks``).

FileVault 2 and APFS encryption are named but not unlocked yet: no sample with its
keys could be tested here (issue 11).

``unlock`` turns the encrypted stretch of a disk into a ``Medium`` of its clear
bytes, decrypted as they are read (nothing is written out). The Sleuth Kit then
reads the file system inside as it reads any volume.
"""

from __future__ import annotations

from typing import Any

from kavach.evidence.keys import KeyKind, KeyRing, VolumeKey
from kavach.evidence.sources import luks
from kavach.evidence.sources.image_formats import ImageError, LibyalMedium, Medium
from kavach.evidence.sources.streams import Region

BITLOCKER_KINDS = ("BitLocker", "BitLocker To Go")
LUKS_KINDS = ("LUKS1", "LUKS2")
UNLOCKABLE = BITLOCKER_KINDS + LUKS_KINDS


def unlock(
    encryption: str, medium: Any, offset: int, length: int, keys: KeyRing, volume: str
) -> tuple[Medium, VolumeKey]:
    """The clear bytes of the encrypted volume shown as ``volume``.

    ``ImageError`` says why not: no key given for it, no key that unlocks it, or an
    encryption Kavach cannot unlock yet. The message never holds a secret.
    """
    if encryption not in UNLOCKABLE:
        raise ImageError(
            f"encrypted ({encryption}): Kavach cannot unlock it yet; decrypt a "
            "copy with the key and scan the copy"
        )
    given = keys.for_volume(volume)
    if not given:
        raise ImageError(
            f"encrypted ({encryption}): give its key with --key {volume}=SECRET "
            "(recovery password, passphrase or key file)"
        )
    region = Region(medium, offset, length)
    opened = (
        _unlock_luks(encryption, region, given)
        if encryption in LUKS_KINDS
        else _unlock_bitlocker(encryption, region, given)
    )
    if opened is not None:
        return opened
    kinds = ", ".join(sorted({k.kind.value for k in given}))
    raise ImageError(
        f"encrypted ({encryption}): the key given ({kinds}) does not unlock it"
    )


def _unlock_bitlocker(
    encryption: str, region: Region, given: list[VolumeKey]
) -> tuple[Medium, VolumeKey] | None:
    for key in given:
        handle = _open_bitlocker(encryption, region)
        if _try(handle, key):
            return LibyalMedium("bitlocker", handle, [], [region]), key
        handle.close()
    return None


def _unlock_luks(
    encryption: str, region: Region, given: list[VolumeKey]
) -> tuple[Medium, VolumeKey] | None:
    try:
        header = luks.read_header(region.read_at, region.get_size())
    except ImageError as exc:
        raise ImageError(f"encrypted ({encryption}): {exc}") from None
    for key in given:
        try:
            secret = key.secret_bytes()  # a key file's bytes are the passphrase
        except OSError:
            continue
        volume_key = header.unlock(region.read_at, secret)
        if volume_key is not None:
            return luks.LuksMedium(region.read_at, header, volume_key), key
    return None


def _open_bitlocker(encryption: str, region: Region) -> Any:
    import pybde

    try:
        handle = pybde.volume()
        handle.open_file_object(region)
    except (OSError, RuntimeError) as exc:
        raise ImageError(
            f"encrypted ({encryption}): its metadata is not readable ({exc})"
        ) from None
    return handle


def _try(handle: Any, key: VolumeKey) -> bool:
    """Whether ``key`` unlocks ``handle``; errors mean it did not."""
    try:
        if key.kind is KeyKind.RECOVERY_PASSWORD:
            handle.set_recovery_password(key.secret)
        elif key.kind is KeyKind.KEY_FILE:
            handle.read_startup_key(key.secret)  # a .BEK file
        else:
            handle.set_password(key.secret)
        return bool(handle.unlock())
    except (OSError, RuntimeError, ValueError):
        return False
