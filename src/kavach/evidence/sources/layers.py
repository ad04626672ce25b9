"""Volumes inside volumes: BitLocker and LUKS, LVM2 logical volumes, volume shadow
copies.

A ``VolumeLayer`` says how to get from one volume's bytes to the next: unlock it
(BitLocker or LUKS, with a key), take one logical volume of an LVM2 physical
volume, or one shadow-copy store of an NTFS volume. A volume is reached from the
disk by a chain of layers (``DiskEntry.layers``), so a worker can open the same
volume again from the entry alone; keys are looked up again in the worker's key
ring, never carried.

The libyal bindings (pyvslvm, pyvshadow, pybde) and Kavach's LUKS reader
(``luks``) read the layers; The Sleuth Kit reads the file system at the end of
the chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kavach.evidence.keys import KeyRing
from kavach.evidence.sources.encrypted import unlock
from kavach.evidence.sources.image_formats import ImageError, Medium
from kavach.evidence.sources.images import TskImage
from kavach.evidence.sources.streams import Region

LVM_LABEL = b"LABELONE"  # at 512 bytes into an LVM2 physical volume

ENCRYPTED, LVM, VSS = "encrypted", "lvm", "vss"


@dataclass(frozen=True, slots=True)
class VolumeLayer:
    """One step from a volume to the volume inside it."""

    kind: str  # ENCRYPTED, LVM or VSS
    name: str = ""  # the logical volume's name; the store's number (1, 2 ...)
    encryption: str = ""  # ENCRYPTED: "BitLocker", "BitLocker To Go", "LUKS2" ...
    volume: str = ""  # ENCRYPTED: the volume as shown, to find its key again


class HandleMedium(Medium):
    """A volume a libyal object serves: ``read(size, offset)`` and a size."""

    def __init__(
        self,
        kind: str,
        read: Callable[[int, int], bytes],
        size: int,
        keep: list[Any],
    ) -> None:
        self.kind = kind
        self._read = read
        self.size = size
        self.segment_files = []
        self._keep = keep  # the handle and the region it reads through

    def read(self, offset: int, size: int) -> bytes:
        size = max(min(size, self.size - offset), 0)
        try:
            return bytes(self._read(size, offset))
        except (OSError, RuntimeError) as exc:
            raise OSError(f"{self.kind} not readable at {offset:,}: {exc}") from None

    def close(self) -> None:
        for handle in self._keep:
            try:
                handle.close()
            except (OSError, RuntimeError, AttributeError):
                pass


def open_layer(layer: VolumeLayer, outer: Any, keys: KeyRing) -> Medium:
    """The volume ``layer`` reaches inside ``outer`` (a medium or TskImage)."""
    region = Region(outer, 0, _size(outer))
    if layer.kind == ENCRYPTED:
        clear, _ = unlock(layer.encryption, outer, 0, _size(outer), keys, layer.volume)
        return clear
    if layer.kind == LVM:
        return _logical_volume(region, layer.name)
    if layer.kind == VSS:
        return _store(region, int(layer.name))
    raise ImageError(f"unknown volume layer {layer.kind!r}")


def open_chain(
    disk: Any, offset: int, length: int, layers: tuple[VolumeLayer, ...], keys: KeyRing
) -> TskImage:
    """The volume at ``offset`` of ``disk`` with every layer of ``layers`` opened."""
    current: Any = Slice(disk, offset, length)
    for layer in layers:
        current = open_layer(layer, current, keys)
    return TskImage(current)


class Slice(Medium):
    """``length`` bytes of a disk from ``offset``: the first volume of a chain."""

    kind = "volume"

    def __init__(self, disk: Any, offset: int, length: int) -> None:
        self._disk = disk
        self._offset = offset
        self.size = length
        self.segment_files = []

    def read(self, offset: int, size: int) -> bytes:
        size = max(min(size, self.size - offset), 0)
        return bytes(self._disk.read(self._offset + offset, size))


def _size(medium: Any) -> int:
    return int(medium.size if hasattr(medium, "size") else medium.get_size())


def is_lvm(head: bytes) -> bool:
    return head[512:520] == LVM_LABEL


def logical_volumes(outer: Any) -> list[tuple[str, int]]:
    """(name, size) of each logical volume of the LVM2 physical volume ``outer``."""
    group = _volume_group(Region(outer, 0, _size(outer)))[1]
    return [(lv.name, int(lv.size)) for lv in group.logical_volumes]


def _volume_group(region: Region) -> tuple[Any, Any]:
    import pyvslvm

    try:
        handle = pyvslvm.handle()
        handle.open_file_object(region)
        # A group spread over several disks needs them all; one disk is read here.
        handle.open_physical_volume_files_as_file_objects([region])
        return handle, handle.get_volume_group()
    except (OSError, RuntimeError) as exc:
        raise ImageError(f"LVM2 physical volume not read: {exc}") from None


def _logical_volume(region: Region, name: str) -> Medium:
    handle, group = _volume_group(region)
    for volume in group.logical_volumes:
        if volume.name == name:
            return HandleMedium(
                "lvm", volume.read_buffer_at_offset, int(volume.size), [handle, region]
            )
    raise ImageError(f"LVM2 logical volume {name!r} not found")


def has_shadow_copies(outer: Any) -> bool:
    import pyvshadow

    try:
        return bool(
            pyvshadow.check_volume_signature_file_object(Region(outer, 0, _size(outer)))
        )
    except (OSError, RuntimeError):
        return False


def shadow_copies(outer: Any) -> list[tuple[int, str]]:
    """(number, "created <time>, id <guid>") of each shadow-copy store, oldest 1."""
    volume = _shadow_volume(Region(outer, 0, _size(outer)))
    try:
        return [
            (number, f"created {store.creation_time} UTC, id {store.identifier}")
            for number, store in enumerate(volume.stores, 1)
        ]
    finally:
        volume.close()


def _shadow_volume(region: Region) -> Any:
    import pyvshadow

    try:
        volume = pyvshadow.volume()
        volume.open_file_object(region)
    except (OSError, RuntimeError) as exc:
        raise ImageError(f"volume shadow copies not read: {exc}") from None
    return volume


def _store(region: Region, number: int) -> Medium:
    volume = _shadow_volume(region)
    if not 1 <= number <= volume.number_of_stores:
        raise ImageError(f"shadow copy {number} not found")
    store = volume.get_store(number - 1)
    return HandleMedium(
        "vss", store.read_buffer_at_offset, int(store.volume_size), [volume, region]
    )
