"""Listing what a disk image holds: volumes, files (allocated, deleted, orphan), and
the unallocated space to carve — in a fixed order, without reading file contents.

The listing runs once, where the scan is planned; workers then read each entry by
its inode (``disk_reader``), so a disk's files spread over all the workers and a
resumed scan skips exactly what was committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytsk3

from kavach.evidence.keys import NO_KEYS, KeyRing
from kavach.evidence.refs import Layer, PathSpec
from kavach.evidence.sources import libyal_fs
from kavach.evidence.sources.encrypted import unlock
from kavach.evidence.sources.image_formats import Medium
from kavach.evidence.sources.images import ImageError, TskImage, open_image
from kavach.evidence.sources.interface import Entry, Origin
from kavach.evidence.sources.layers import (
    ENCRYPTED,
    LVM,
    VSS,
    Slice,
    VolumeLayer,
    has_shadow_copies,
    is_lvm,
    logical_volumes,
    open_chain,
    shadow_copies,
)
from kavach.vocabulary import WarningStage

SOURCE = "disk-image"  # the registered name of DiskImageSource (disk_image.py)
WHOLE_IMAGE = "whole image"  # the one volume of an image with no partition table

SECTOR = 512
CARVE_CHUNK = 64 * 1024**2
_ENCRYPTION = (
    (3, b"-FVE-FS-", "BitLocker"),
    (0, b"LUKS\xba\xbe", "LUKS"),  # LUKS1 and LUKS2: the version follows
)


@dataclass(frozen=True, slots=True)
class DiskEntry:
    """One file (or one stretch of unallocated space) inside a disk image."""

    image: bytes  # absolute path of the image file
    volume: int  # partition number: p1, p2 ... in table order
    volume_offset: int  # bytes from the image start
    path: bytes  # "/dir/file" inside the file system
    inode: int | None = None
    size: int = 0
    deleted: bool = False
    carve_start: int | None = None  # volume-relative bytes, for carving jobs
    carve_length: int | None = None
    # A volume inside the volume (unlocked BitLocker, an LVM2 logical volume, a
    # shadow copy): the partition's length and the chain of layers to it.
    volume_length: int = 0
    layers: tuple[VolumeLayer, ...] = ()
    # A file system read by libyal, not TSK ("apfs", "xfs"; APFS: the volume's
    # number in its container); ``inode`` is then its identifier there.
    fs_kind: str = ""
    fs_volume: int = 0
    # One NTFS stream of the file (None: the file's default data).
    attr_type: int | None = None
    attr_id: int | None = None


def _problem(spec: PathSpec, reason: str) -> Entry:
    """A stretch of the image listed only partly: a warning, the rest goes on."""
    return Entry(spec, SOURCE, problem=reason)


def _not_read(spec: PathSpec, reason: str) -> Entry:
    """An image, volume or file system not read at all: a container not read."""
    return Entry(spec, SOURCE, problem=reason, stage=WarningStage.CONTAINER)


def _volume_spec(spec: PathSpec, number: int) -> PathSpec:
    """Where a volume's own warnings are shown: ``disk.dd#p1:``."""
    return spec.child(Layer.VOLUME, b"p%d" % number).child(Layer.FS, b"")


def list_image(
    image_path: bytes, spec: PathSpec, keys: KeyRing = NO_KEYS
) -> Iterator[Entry]:
    """Everything in the image at ``image_path`` (shown as ``spec``) that a scan
    examines; encrypted volumes are read where ``keys`` unlock them."""
    try:
        image = open_image(image_path)
    except ImageError as exc:
        yield _not_read(spec, f"disk image not read: {exc}")
        return
    try:
        yield from list_disk(image, image_path, spec, keys)
    finally:
        image.close()


def list_disk(
    image: TskImage, image_path: bytes, spec: PathSpec, keys: KeyRing = NO_KEYS
) -> Iterator[Entry]:
    """Everything in the opened ``image``; its entries name it ``image_path`` (the
    file, or the key a worker's reader holds a nested image under)."""
    try:
        volumes = _volumes(image)
        size = int(image.get_size())
        for number, offset, length, description in volumes:
            if offset + length > size:
                yield _problem(
                    _volume_spec(spec, number),
                    f"partition {number} runs past the end of the image by "
                    f"{offset + length - size:,} bytes: the partition table is "
                    "damaged or the image is truncated",
                )
                length = max(size - offset, 0)
            try:
                yield from _list_volume(
                    image, image_path, spec, number, offset, length, description, keys
                )
            except (OSError, RuntimeError) as exc:  # damaged past what TSK reported
                yield _problem(
                    _volume_spec(spec, number),
                    f"volume {number} not fully listed: {exc}",
                )
        yield from _unpartitioned(image_path, spec, volumes, size)
    except (OSError, RuntimeError) as exc:
        yield _not_read(spec, f"image not readable: {exc}")


UNPARTITIONED = b"unpartitioned"


def _unpartitioned(
    image_path: bytes,
    spec: PathSpec,
    volumes: list[tuple[int, int, int, str]],
    size: int,
) -> Iterator[Entry]:
    """The disk's space outside every partition (before the first, between, after
    the last), carved like a volume's free space: ``disk.dd#unpartitioned:``.

    Only for a disk with a partition table (a bare volume is carved as itself).
    """
    if not volumes or volumes[0][3] == WHOLE_IMAGE:
        return
    gaps = _gaps([(offset, length) for _, offset, length, _ in volumes], size)
    gap_spec = spec.child(Layer.VOLUME, UNPARTITIONED)
    for start, length in gaps:
        gap = _Volume(image_path, 0, start, length, gap_spec)
        for entry in _chunks(gap, 0, length):
            # Named by offsets from the disk's start, not from the gap's.
            assert isinstance(entry.locator, DiskEntry)
            first = start + (entry.locator.carve_start or 0)
            last = first + (entry.locator.carve_length or 0)
            yield Entry(
                gap_spec.child(Layer.FS, b"$Unallocated/%d-%d" % (first, last)),
                SOURCE,
                entry.locator,
                expand=True,
            )


def _gaps(used: list[tuple[int, int]], total: int) -> list[tuple[int, int]]:
    """(start, length) of every stretch of ``0 .. total`` no (start, length) of
    ``used`` covers, in order (units are the caller's: bytes or blocks)."""
    position = 0
    gaps = []
    for start, length in sorted(used):
        if start > position:
            gaps.append((position, min(start, total) - position))
        position = max(position, start + length)
        if position >= total:
            break
    if position < total:
        gaps.append((position, total - position))
    return [(start, length) for start, length in gaps if length > 0]


def _volumes(image: pytsk3.Img_Info) -> list[tuple[int, int, int, str]]:
    """(number, byte offset, byte length, description) of each allocated
    partition, in table order.

    An image with no partition table is one volume at offset 0 (``#p1``).
    """
    try:
        table = pytsk3.Volume_Info(image)
    except OSError:
        return [(1, 0, int(image.get_size()), WHOLE_IMAGE)]  # one volume
    block = table.info.block_size or SECTOR
    parts = [p for p in table if p.flags == pytsk3.TSK_VS_PART_FLAG_ALLOC]
    parts.sort(key=lambda p: p.addr)
    return [
        (n, p.start * block, p.len * block, p.desc.decode("utf-8", "replace"))
        for n, p in enumerate(parts, 1)
    ]


# BitLocker To Go puts a readable FAT in front (holding only the reader program);
# the volume's own data is encrypted. Its boot sector carries BitLocker's GUID.
_BITLOCKER_GUID = bytes.fromhex("3bd66749292ed84a8399f6a339e3d001")


def encryption_of(head: bytes, description: str) -> str | None:
    if head[3:11] == b"MSWIN4.1" and head[0x1A8:0x1B8] == _BITLOCKER_GUID:
        return "BitLocker To Go"
    for offset, magic, name in _ENCRYPTION:
        if head[offset : offset + len(magic)] == magic:
            return _with_version(name, head)
    if "core storage" in description.lower():
        return "FileVault 2 (Core Storage)"
    return None


def _with_version(name: str, head: bytes) -> str:
    """ "LUKS1" or "LUKS2" where the header says which; the name alone otherwise."""
    if name == "LUKS" and head[6:8] in (b"\0\x01", b"\0\x02"):
        return f"LUKS{head[7]}"
    return name


@dataclass(frozen=True, slots=True)
class _Volume:
    """One volume being listed: where it lies and how its entries are named."""

    image_path: bytes
    number: int
    offset: int
    length: int
    spec: PathSpec  # the volume: "disk.dd#p1", "disk.dd#p1#vss2"
    layers: tuple[VolumeLayer, ...] = ()  # from the partition to this volume

    def locate(
        self,
        path: bytes,
        inode: int | None = None,
        size: int = 0,
        deleted: bool = False,
        carve_start: int | None = None,
        carve_length: int | None = None,
        attr_type: int | None = None,
        attr_id: int | None = None,
        fs_kind: str = "",
        fs_volume: int = 0,
    ) -> DiskEntry:
        return DiskEntry(
            self.image_path,
            self.number,
            self.offset,
            path,
            inode=inode,
            size=size,
            deleted=deleted,
            carve_start=carve_start,
            carve_length=carve_length,
            volume_length=self.length,
            layers=self.layers,
            fs_kind=fs_kind,
            fs_volume=fs_volume,
            attr_type=attr_type,
            attr_id=attr_id,
        )

    def file_spec(self, path: bytes) -> PathSpec:
        return self.spec.child(Layer.FS, path)

    def through(self, layer: VolumeLayer, name: bytes | None = None) -> _Volume:
        """The volume ``layer`` reaches inside this one, shown as ``#name`` below
        it (an unlocked volume keeps its own name)."""
        spec = self.spec if name is None else self.spec.child(Layer.VOLUME, name)
        return replace(self, spec=spec, layers=(*self.layers, layer))


def _list_volume(
    image: pytsk3.Img_Info,
    image_path: bytes,
    spec: PathSpec,
    number: int,
    offset: int,
    length: int,
    description: str,
    keys: KeyRing = NO_KEYS,
) -> Iterator[Entry]:
    volume_spec = spec.child(Layer.VOLUME, b"p%d" % number)
    volume = _Volume(image_path, number, offset, length, volume_spec)
    yield from _list_layers(image, volume, f"volume {number} ({description})", keys)


def _list_layers(
    image: pytsk3.Img_Info, volume: _Volume, what: str, keys: KeyRing
) -> Iterator[Entry]:
    """One volume: unlocked, split into logical volumes, or its file system listed
    (and then its shadow copies, each a volume of its own)."""
    where = volume.spec.child(Layer.FS, b"")
    try:
        reader = _reader(image, volume, keys)
    except ImageError as exc:
        yield _not_read(where, f"{what}: not read: {exc}")
        return
    try:
        yield from _list_opened(image, volume, reader, what, where, keys)
    finally:
        reader.close()


def _list_opened(
    image: pytsk3.Img_Info,
    volume: _Volume,
    reader: Medium,
    what: str,
    where: PathSpec,
    keys: KeyRing,
) -> Iterator[Entry]:
    head = reader.read(0, 4096)
    unlocked = any(layer.kind == ENCRYPTED for layer in volume.layers)
    encrypted = None if unlocked else encryption_of(head, what)
    if encrypted:
        layer = VolumeLayer(ENCRYPTED, "", encrypted, volume.spec.display())
        try:
            clear, _ = unlock(
                encrypted, reader, 0, reader.size, keys, volume.spec.display()
            )
        except ImageError as exc:
            yield _not_read(where, f"not scanned: {exc}")
            return
        clear.close()  # the key works: list the volume through the layer
        yield from _list_layers(image, volume.through(layer), what, keys)
        return
    if is_lvm(head):
        yield from _list_logical_volumes(image, volume, reader, where, keys)
        return
    other = libyal_fs.detect(head)
    if other is not None:
        yield from _list_other_file_system(volume, reader, other, what, where)
        return
    yield from _list_file_system(image, volume, reader, what, where)
    in_store = any(layer.kind == VSS for layer in volume.layers)
    if not in_store and has_shadow_copies(reader):
        yield from _list_shadow_copies(image, volume, reader, where, keys)


def _reader(image: pytsk3.Img_Info, volume: _Volume, keys: KeyRing) -> Medium:
    """The volume's bytes from its start, whatever layers it lies under."""
    if volume.layers:
        return open_chain(
            image, volume.offset, volume.length, volume.layers, keys
        ).medium
    return Slice(image, volume.offset, volume.length)


def _list_logical_volumes(
    image: pytsk3.Img_Info,
    volume: _Volume,
    reader: Medium,
    where: PathSpec,
    keys: KeyRing,
) -> Iterator[Entry]:
    def found() -> list[tuple[VolumeLayer, bytes, str]]:
        names = [name for name, _ in logical_volumes(reader)]
        if not names:
            raise ImageError("LVM2 physical volume with no logical volume")
        return [
            (VolumeLayer(LVM, n), b"lv-" + n.encode(), f"LVM2 logical volume {n}")
            for n in names
        ]

    yield from _list_inner(image, volume, where, keys, found)


def _list_shadow_copies(
    image: pytsk3.Img_Info,
    volume: _Volume,
    reader: Medium,
    where: PathSpec,
    keys: KeyRing,
) -> Iterator[Entry]:
    """Each shadow copy (``#vss1``, oldest first) as a volume of its own. Its free
    space is not carved: it is the live volume's, carved already."""

    def found() -> list[tuple[VolumeLayer, bytes, str]]:
        return [
            (VolumeLayer(VSS, str(n)), b"vss%d" % n, f"shadow copy {n} ({about})")
            for n, about in shadow_copies(reader)
        ]

    yield from _list_inner(image, volume, where, keys, found)


def _list_inner(
    image: pytsk3.Img_Info,
    volume: _Volume,
    where: PathSpec,
    keys: KeyRing,
    found: Callable[[], list[tuple[VolumeLayer, bytes, str]]],
) -> Iterator[Entry]:
    """The volumes ``found`` names inside ``volume`` (layer, name, label), each
    listed as a volume of its own; what cannot be read is a container not read."""
    try:
        inner = found()
    except ImageError as exc:
        yield _not_read(where, str(exc))
        return
    for layer, name, label in inner:
        yield from _list_layers(image, volume.through(layer, name), label, keys)


def _list_other_file_system(
    volume: _Volume, reader: Medium, kind: str, what: str, where: PathSpec
) -> Iterator[Entry]:
    """APFS (each volume of the container as ``#apfs1``...) or XFS, via libyal."""
    try:
        if kind == libyal_fs.APFS:
            found = libyal_fs.apfs_volumes(reader)
        else:
            found = [(0, "", False)]
    except ImageError as exc:
        yield _not_read(where, f"{what}: {exc}")
        return
    allocated: list[tuple[int, int]] = []  # every file's data, every volume's
    for number, name, locked in found:
        inner = volume
        label = what
        if kind == libyal_fs.APFS:
            inner = replace(
                volume, spec=volume.spec.child(Layer.VOLUME, b"apfs%d" % number)
            )
            label = f"APFS volume {number} ({name or 'unnamed'})"
        inner_where = inner.spec.child(Layer.FS, b"")
        if locked:
            yield _not_read(
                inner_where,
                f"not scanned: encrypted (APFS volume {name!r}); Kavach cannot "
                "unlock APFS volumes yet",
            )
            continue
        yield from _list_libyal_files(
            inner, reader, kind, number, label, inner_where, allocated
        )
    # Free space is the container's (APFS volumes share it) or the volume's (XFS):
    # what no listed file's data covers, carved once. A locked volume's data is
    # carved too (encrypted: nothing is found in it).
    for start, length in _gaps(allocated, reader.size):
        yield from _chunks(volume, start, length)


def _list_libyal_files(
    volume: _Volume,
    reader: Medium,
    kind: str,
    number: int,
    what: str,
    where: PathSpec,
    allocated: list[tuple[int, int]],
) -> Iterator[Entry]:
    try:
        place = libyal_fs.placer(kind, reader)
        system = libyal_fs.open_file_system(kind, reader, number)
    except ImageError as exc:
        yield _not_read(where, f"{what}: {exc}")
        return
    count = 0
    try:
        for found in libyal_fs.files(libyal_fs.root_of(system), kind, place):
            count += 1
            allocated.extend(found.extents)
            yield Entry(
                volume.file_spec(found.path),
                SOURCE,
                volume.locate(
                    found.path,
                    inode=found.identifier,
                    size=found.size,
                    fs_kind=kind,
                    fs_volume=number,
                ),
                Origin(
                    inode=found.identifier,
                    modified=found.modified,
                    created=found.created,
                ),
            )
    except (OSError, RuntimeError) as exc:
        yield _problem(where, f"{what}: not fully listed: {exc}")
    finally:
        system.close()
    if count == 0:
        yield _not_read(
            where, f"{what}: {kind.upper()} file system opened but it lists no files"
        )


def _list_file_system(
    image: pytsk3.Img_Info,
    volume: _Volume,
    reader: Medium,
    what: str,
    where: PathSpec,
) -> Iterator[Entry]:
    fs_image, fs_offset = (
        (TskImage(reader), 0) if volume.layers else (image, volume.offset)
    )
    length = reader.size
    carve = not any(layer.kind == VSS for layer in volume.layers)
    try:
        fs = pytsk3.FS_Info(fs_image, offset=fs_offset)
    except OSError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown"
        yield _not_read(
            where,
            f"{what}: no file system The Sleuth Kit reads ({reason}); the whole "
            "volume is carved instead",
        )
        # A damaged or wiped file system still holds its files' bytes.
        yield from _chunks(volume, 0, length)
        return
    allocated: list[tuple[int, int]] = []
    visited: set[int] = set()
    root = fs.info.root_inum
    files = 0
    for entry in _walk(fs, volume, fs.open_dir(inode=root), b"", visited, allocated):
        files += entry.problem is None
        yield entry
    if files == 0:
        kind = _fs_name(fs)
        yield _not_read(
            where,
            f"{what}: {kind} file system opened but it lists no files (empty, "
            "wiped, or not what it seems); its free space is carved",
        )
    if carve:
        yield from _unallocated(fs, volume, allocated)


def _fs_name(fs: pytsk3.FS_Info) -> str:
    """The file system's type as The Sleuth Kit names it (``TSK_FS_TYPE_FAT16``)."""
    kind = int(fs.info.ftype)
    for name in dir(pytsk3):
        if name.startswith("TSK_FS_TYPE_") and getattr(pytsk3, name) == kind:
            return name.removeprefix("TSK_FS_TYPE_")
    return "a"


def _walk(
    fs: pytsk3.FS_Info,
    volume: _Volume,
    directory: pytsk3.Directory,
    parent: bytes,
    visited: set[int],
    allocated: list[tuple[int, int]],
) -> Iterator[Entry]:
    entries = []
    name_only = []
    for entry in directory:
        name = entry.info.name.name
        if name in (b".", b".."):
            continue
        if entry.info.meta is None:
            found = _unloaded(fs, entry)
            if found is None:
                if entry.info.name.flags & pytsk3.TSK_FS_NAME_FLAG_UNALLOC:
                    name_only.append(name)
                continue
            entry = found
        entries.append((name, entry))
    for name in sorted(name_only):
        # A deleted name left in a folder's index with no metadata: listed (as
        # fls lists it), but there is no content to hash; carving may find it.
        yield Entry(
            volume.file_spec(parent + b"/" + name),
            SOURCE,
            problem="deleted file: only its name is left in the folder (no "
            "metadata, so no content to read); unallocated space is carved",
            stage=WarningStage.READ,
        )
    ntfs = _is_ntfs(fs)
    for name, entry in sorted(entries, key=lambda pair: pair[0]):
        meta = entry.info.meta
        path = parent + b"/" + name
        named = entry.info.name  # None for an orphan opened by its inode
        deleted = bool(
            (named is not None and named.flags & pytsk3.TSK_FS_NAME_FLAG_UNALLOC)
            or meta.flags & pytsk3.TSK_FS_META_FLAG_UNALLOC
        )
        # $OrphanFiles is a virtual folder: files no folder names any more.
        if meta.type in (pytsk3.TSK_FS_META_TYPE_DIR, pytsk3.TSK_FS_META_TYPE_VIRT_DIR):
            if meta.addr in visited:
                continue
            visited.add(meta.addr)
            try:
                inner = entry.as_directory()
            except OSError:
                continue
            yield from _walk(fs, volume, inner, path, visited, allocated)
        elif meta.type == pytsk3.TSK_FS_META_TYPE_REG:
            if not deleted:
                allocated.extend(_runs(entry))
            inode = int(meta.addr)
            origin = Origin(
                deleted=deleted,
                inode=inode,
                # TSK gives 0 for a time the file system does not keep.
                modified=float(meta.mtime) if meta.mtime else None,
                created=float(meta.crtime) if meta.crtime else None,
            )
            streams = _streams(entry) if ntfs else []
            if not streams:
                streams = [_Stream(None, None, b"", int(meta.size))]
            for stream in streams:
                # NTFS's named streams are files of their own: "file13.dll:here".
                named_path = path + b":" + stream.name if stream.name else path
                if stream.empty:
                    yield Entry(
                        volume.file_spec(named_path),
                        SOURCE,
                        problem=f"sparse stream of {stream.size:,} bytes with no "
                        "data stored (such as $BadClus:$Bad): nothing to hash",
                        stage=WarningStage.READ,
                    )
                    continue
                yield Entry(
                    volume.file_spec(named_path),
                    SOURCE,
                    volume.locate(
                        named_path,
                        inode=inode,
                        size=stream.size,
                        deleted=deleted,
                        attr_type=stream.type,
                        attr_id=stream.id,
                    ),
                    origin,
                )


@dataclass(frozen=True, slots=True)
class _Stream:
    type: int | None  # the attribute's type (NTFS $DATA 128, $INDEX_ROOT 144)
    id: int | None
    name: bytes  # b"" for a file's own (unnamed) data
    size: int
    empty: bool = False  # sparse from end to end: no byte of it is stored


def _is_ntfs(fs: pytsk3.FS_Info) -> bool:
    return bool(int(fs.info.ftype) & pytsk3.TSK_FS_TYPE_NTFS_DETECT)


_NTFS_DATA = int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_DATA)
_NTFS_INDEX_ROOT = int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_IDXROOT)


def _streams(entry: pytsk3.File) -> list[_Stream]:
    """A file's data streams as fls lists them: its unnamed $DATA (the file),
    each named $DATA (an alternate data stream) and each named index but $I30."""
    found = []
    try:
        for attribute in entry:
            info = attribute.info
            kind = int(info.type)
            name = info.name or b""
            if kind == _NTFS_DATA or (kind == _NTFS_INDEX_ROOT and name != b"$I30"):
                if kind == _NTFS_INDEX_ROOT and not name:
                    continue
                size = int(info.size)
                empty = size > 0 and not _stores_data(attribute)
                found.append(_Stream(kind, int(info.id), name, size, empty))
    except OSError:
        return []
    return found


def _stores_data(attribute: pytsk3.Attribute) -> bool:
    """Whether any run of a non-resident attribute holds stored bytes."""
    if not int(attribute.info.flags) & pytsk3.TSK_FS_ATTR_NONRES:
        return True  # resident: its bytes are in the MFT entry
    sparse = pytsk3.TSK_FS_ATTR_RUN_FLAG_SPARSE | pytsk3.TSK_FS_ATTR_RUN_FLAG_FILLER
    return any(run.len and not int(run.flags) & sparse for run in attribute)


def _unloaded(fs: pytsk3.FS_Info, entry: pytsk3.File) -> pytsk3.File | None:
    """A listed name whose metadata TSK did not load: an orphan, or a deleted
    name that still gives its metadata address (opened by that inode)."""
    orphan = _orphan(fs, entry.info.name.name)
    if orphan is not None:
        return orphan
    address = int(entry.info.name.meta_addr or 0)
    if address == 0:
        return None
    try:
        found = fs.open_meta(inode=address)
    except OSError:
        return None
    return found if found.info.meta is not None else None


def _orphan(fs: pytsk3.FS_Info, name: bytes) -> pytsk3.File | None:
    """The file behind ``OrphanFile-<inode>``, opened by its inode."""
    number = name.removeprefix(b"OrphanFile-")
    if number == name or not number.isdigit():
        return None
    try:
        entry = fs.open_meta(inode=int(number))
    except OSError:
        return None
    return entry if entry.info.meta is not None else None


def _runs(entry: pytsk3.File) -> Iterator[tuple[int, int]]:
    """Block runs (first block, count) that an allocated file's data occupies."""
    try:
        for attribute in entry:
            if attribute.info.type not in (
                pytsk3.TSK_FS_ATTR_TYPE_DEFAULT,
                pytsk3.TSK_FS_ATTR_TYPE_NTFS_DATA,
            ):
                continue
            for run in attribute:
                if run.len and not run.flags & pytsk3.TSK_FS_ATTR_RUN_FLAG_SPARSE:
                    yield int(run.addr), int(run.len)
    except OSError:
        return


def _unallocated(
    fs: pytsk3.FS_Info, volume: _Volume, allocated: list[tuple[int, int]]
) -> Iterator[Entry]:
    """Stretches of the volume no allocated file uses, in chunks, for carving."""
    block = int(fs.info.block_size)
    for start, count in _gaps(allocated, int(fs.info.block_count)):
        yield from _chunks(volume, start * block, count * block)


def _chunks(volume: _Volume, first: int, length: int) -> Iterator[Entry]:
    """``length`` bytes of the volume from ``first``, in carving jobs."""
    for chunk in range(first, first + length, CARVE_CHUNK):
        size = min(CARVE_CHUNK, first + length - chunk)
        yield Entry(
            volume.file_spec(b"$Unallocated/%d-%d" % (chunk, chunk + size)),
            SOURCE,
            volume.locate(b"$Unallocated", carve_start=chunk, carve_length=size),
            expand=True,
        )
