"""Disk image formats: every container lists what ``fls`` lists on the raw disk.

The test builds one raw disk (MBR, FAT, a deleted picture, a picture written in the
unpartitioned tail) and stores it the ways seized disks arrive: qemu-img's VMDK,
VHD, VHDX, QCOW2 and Parallels; img2simg's Android sparse image; gzip, xz and
bzip2. dfVFS's own small samples (tests/data/dfvfs) are read too, and compared
with ``fls`` on qemu-img's raw copy of each.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_vics
from kavach.evidence.sources.disk_reader import carve_bytes
from tests.helpers import disks
from tests.helpers.scanning import import_demo_lists, read_csv, scan

DATA = Path(__file__).parent.parent / "data" / "dfvfs"
PICTURES = [encode(draw_picture(700 + i)) for i in range(3)]
FILES = {
    "DCIM/kept.jpg": PICTURES[0],
    "DCIM/gone.jpg": PICTURES[1],
    "notes.txt": b"notes\n" * 100,
}
TAIL_PICTURE = PICTURES[2]  # written after the last partition


def _need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"test tools missing (make install installs them): {missing}")


def _qemu(source: Path, target: Path, fmt: str, *options: str) -> Path:
    subprocess.run(
        ["qemu-img", "convert", "-O", fmt, *options, str(source), str(target)],
        check=True,
        capture_output=True,
    )
    return target


@pytest.fixture(scope="module")
def raw_disk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    disks.require_tools()
    base = tmp_path_factory.mktemp("formats")
    volume = disks.fat_volume(base / "fat.vol", FILES, ["DCIM/gone.jpg"])
    disk = disks.partitioned(base / "disk.raw", volume, "dos", fat=True)
    size = disk.stat().st_size
    with disk.open("r+b") as handle:  # into the 1 MiB after the partition
        handle.seek(size - 512 * 1024)
        handle.write(TAIL_PICTURE)
    return disk


def _stored(raw: Path, kind: str, folder: Path) -> Path:
    """``raw`` stored as ``kind``, in ``folder``."""
    folder.mkdir()
    data = raw.read_bytes()
    if kind == "gzip":
        target = folder / "disk.raw.gz"
        target.write_bytes(gzip.compress(data))
    elif kind == "xz":
        target = folder / "disk.raw.xz"
        target.write_bytes(lzma.compress(data))
    elif kind == "bzip2":
        target = folder / "disk.raw.bz2"
        target.write_bytes(bz2.compress(data))
    elif kind == "android-sparse":
        target = folder / "system.img"
        subprocess.run(["img2simg", str(raw), str(target)], check=True)
    else:
        fmt, options, name = {
            "vmdk": ("vmdk", (), "disk.vmdk"),
            "vmdk-split": ("vmdk", ("-o", "subformat=twoGbMaxExtentSparse"), "s.vmdk"),
            "vmdk-flat": ("vmdk", ("-o", "subformat=monolithicFlat"), "flat.vmdk"),
            "vhd": ("vpc", (), "disk.vhd"),
            "vhd-fixed": ("vpc", ("-o", "subformat=fixed"), "fixed.vhd"),
            "vhdx": ("vhdx", (), "disk.vhdx"),
            "qcow2": ("qcow2", (), "disk.qcow2"),
            "parallels": ("parallels", (), "disk.hds"),
        }[kind]
        target = _qemu(raw, folder / name, fmt, *options)
    return target


def _lists(app: Kavach, tmp_path: Path) -> None:
    path = tmp_path / "partner.json"
    write_vics(path, [listed(p) for p in PICTURES])
    import_demo_lists(app, DemoSet(exhibit=tmp_path, lists=[("partner", path)]))


KINDS = [
    "vmdk",
    "vmdk-split",
    "vmdk-flat",
    "vhd",
    "vhd-fixed",
    "vhdx",
    "qcow2",
    "parallels",
    "android-sparse",
    "gzip",
    "xz",
    "bzip2",
]


@pytest.mark.parametrize("kind", KINDS)
def test_each_format_lists_what_fls_lists_and_finds_the_tail_picture(
    sqlite_app: Kavach, raw_disk: Path, tmp_path: Path, kind: str
) -> None:
    _need("qemu-img", "img2simg")
    exhibit = tmp_path / "exhibit"
    image = _stored(raw_disk, kind, exhibit)
    _lists(sqlite_app, tmp_path)
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=2)
    files = read_csv(out / "files.csv")
    prefix = f"{image.name}#p1:/"
    ours = {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in files
        if f["path"].startswith(prefix)
    }
    assert ours == disks.fls_files(raw_disk, disks.START)
    assert ("DCIM/kept.jpg", False) in ours
    warnings = read_csv(out / "warnings.csv")
    assert not [w for w in warnings if w["stage"] == "container"], warnings
    hits = read_csv(out / "hits.csv")
    tail = [h for h in hits if h["path"].startswith(f"{image.name}#unpartitioned:")]
    assert {h["md5"] for h in tail} == {hashlib.md5(TAIL_PICTURE).hexdigest()}
    assert tail[0]["path"].startswith(f"{image.name}#unpartitioned:$Carved/")
    # Extents and segments are read through the file that opens the image.
    listed_images = {f["path"].split("#")[0] for f in files if "#" in f["path"]}
    assert listed_images == {image.name}


def _shipped(name: str, folder: Path) -> Path:
    """A dfVFS sample put in ``folder`` as ``name``: samples over 1 MB are kept
    gzipped in the repository (``name.gz``) and unpacked here."""
    target = folder / name
    packed = DATA / f"{name}.gz"
    if packed.exists():
        target.write_bytes(gzip.decompress(packed.read_bytes()))
    else:
        shutil.copy(DATA / name, target)
    return target


@pytest.mark.parametrize(
    ("sample", "qemu_format"),
    [("ext2.vmdk", "vmdk"), ("ext2.qcow2", "qcow2"), ("ext2.vhd", "vpc")],
)
def test_dfvfs_samples_list_like_fls_on_their_raw_copy(
    sqlite_app: Kavach, tmp_path: Path, sample: str, qemu_format: str
) -> None:
    _need("qemu-img")
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    image = _shipped(sample, exhibit)
    raw = _qemu(image, tmp_path / "copy.raw", "raw", "-f", qemu_format)
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=1)
    prefix = f"{sample}#p1:/"
    ours = {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in read_csv(out / "files.csv")
        if f["path"].startswith(prefix)
    }
    assert ours == disks.fls_files(raw, 0)
    assert ("passwords.txt", False) in ours


def test_compressed_dmg_is_read(sqlite_app: Kavach, tmp_path: Path) -> None:
    """dfVFS's zlib-compressed UDIF image of an HFS+ volume."""
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    shutil.copy(DATA / "hfsplus_zlib.dmg", exhibit / "hfsplus_zlib.dmg")
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=1)
    paths = {f["path"] for f in read_csv(out / "files.csv")}
    # The files dfVFS's own tests find in it.
    for name in ("a_directory/a_file", "a_directory/another_file", "passwords.txt"):
        assert f"hfsplus_zlib.dmg#p1:/{name}" in paths


def test_images_kavach_cannot_read_are_containers_not_read(
    sqlite_app: Kavach, raw_disk: Path, tmp_path: Path
) -> None:
    _need("qemu-img")
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    # A differential VHD whose parent was not copied (dfVFS's sample).
    _shipped("fat-differential.vhd", exhibit)
    _qemu(raw_disk, exhibit / "disk.vdi", "vdi")  # no reader for VirtualBox
    shutil.copy(DATA / "bdetogo-truncated.raw", exhibit / "togo.raw")
    with zipfile.ZipFile(exhibit / "copies.zip", "w") as archive:
        archive.write(exhibit / "disk.vdi", "inside/disk.vdi")
        archive.write(exhibit / "fat-differential.vhd", "inside/diff.vhd")
    # A bare ext4 volume starts with a zero block: gzipped, it once read as an
    # empty tar and vanished.
    bare = disks.ext4_volume(tmp_path / "bare.vol", {"a.txt": b"x" * 5000}, [])
    (exhibit / "bare.img.gz").write_bytes(gzip.compress(bare.read_bytes()))
    out = tmp_path / "out"
    scan_id = scan(sqlite_app, exhibit, out, workers=2)
    warnings = {
        w["path"]: w["reason"]
        for w in read_csv(out / "warnings.csv")
        if w["stage"] == "container"
    }
    assert "'fat-parent.vhd' is not beside it" in warnings["fat-differential.vhd"]
    assert "VirtualBox VDI image: Kavach has no reader" in warnings["disk.vdi"]
    assert "encrypted (BitLocker To Go)" in warnings["togo.raw#p1:"]
    assert warnings["copies.zip!/inside/disk.vdi"].startswith(
        "a VirtualBox VDI image inside an archive: disk image not read: "
    )
    assert (
        "a differential image, whose parent cannot be found from inside"
        in (warnings["copies.zip!/inside/diff.vhd"])
    )
    assert len(warnings) == 5, warnings
    counts = sqlite_app.services.scans.finish(scan_id, "test").counts
    assert counts["containers_not_read"] == 5
    files = {f["path"] for f in read_csv(out / "files.csv")}
    assert "bare.img.gz#p1:/a.txt" in files
    assert "5 containers not read" in (out / "report.html").read_text()


def _packed(raw: Path, kind: str, folder: Path) -> tuple[Path, str]:
    """``raw`` inside a container of ``kind`` in ``folder``; the image's path."""
    folder.mkdir()
    if kind == "zip-deflated":
        with zipfile.ZipFile(folder / "copies.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.write(raw, "inside/disk.raw")
        return folder / "copies.zip", "copies.zip!/inside/disk.raw"
    if kind == "zip-stored-vmdk":
        vmdk = _qemu(raw, folder.parent / "disk.vmdk", "vmdk")
        with zipfile.ZipFile(folder / "copies.zip", "w", zipfile.ZIP_STORED) as z:
            z.write(vmdk, "disk.vmdk")
        return folder / "copies.zip", "copies.zip!/disk.vmdk"
    if kind == "tar-gz":
        with tarfile.open(folder / "copies.tar.gz", "w:gz") as tar:
            tar.add(raw, "seized/disk.raw")
        return folder / "copies.tar.gz", "copies.tar.gz!/seized/disk.raw"
    if kind == "zip-of-gz":
        with zipfile.ZipFile(folder / "copies.zip", "w", zipfile.ZIP_STORED) as z:
            z.writestr("disk.raw.gz", gzip.compress(raw.read_bytes()))
        return folder / "copies.zip", "copies.zip!/disk.raw.gz"
    assert kind == "zip-e01"
    e01 = disks.to_e01(raw, folder.parent / "disk")
    with zipfile.ZipFile(folder / "copies.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(e01, "disk.E01")
    return folder / "copies.zip", "copies.zip!/disk.E01"


@pytest.mark.parametrize(
    "kind", ["zip-deflated", "zip-stored-vmdk", "tar-gz", "zip-of-gz", "zip-e01"]
)
def test_a_disk_image_inside_an_archive_is_opened_and_listed_like_fls(
    sqlite_app: Kavach, raw_disk: Path, tmp_path: Path, kind: str
) -> None:
    _need("qemu-img", "ewfacquire")
    _archive, image = _packed(raw_disk, kind, tmp_path / "exhibit")
    _lists(sqlite_app, tmp_path)
    out = tmp_path / "out"
    scan(sqlite_app, tmp_path / "exhibit", out, workers=2)
    files = read_csv(out / "files.csv")
    prefix = f"{image}#p1:/"
    ours = {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in files
        if f["path"].startswith(prefix)
    }
    assert ours == disks.fls_files(raw_disk, disks.START)
    assert any(f["path"] == image for f in files)  # the image file, hashed too
    warnings = read_csv(out / "warnings.csv")
    assert not [w for w in warnings if w["stage"] == "container"], warnings
    # The kept and the deleted picture in the file system, the one in the tail.
    hits = {h["path"]: h["md5"] for h in read_csv(out / "hits.csv")}
    md5 = [hashlib.md5(picture).hexdigest() for picture in PICTURES]
    assert hits[f"{prefix}DCIM/kept.jpg"] == md5[0]
    assert md5[1] in {hits[p] for p in hits if p.startswith(f"{prefix}DCIM/")}
    tail = [p for p in hits if p.startswith(f"{image}#unpartitioned:$Carved/")]
    assert [hits[p] for p in tail] == [md5[2]]


def test_jpeg_carving_ends_at_the_picture_not_its_exif_thumbnail() -> None:
    thumbnail = encode(draw_picture(3).resize((64, 48)))
    main = encode(draw_picture(4))
    payload = b"Exif\x00\x00II*\x00\x08\x00\x00\x00" + thumbnail
    app1 = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    picture = main[:2] + app1 + main[2:]
    space = bytes(4096) + picture + bytes(4096)
    carved = list(carve_bytes(space, len(space), 1_000_000))
    assert [(c.offset, c.data) for c in carved] == [(1_004_096, picture)]


# One sample per registered image format: the registry's contract. A new format
# without a sample here fails the test below.
SAMPLES = {
    "ewf": "ewf",
    "vmdk": "vmdk",
    "vhd": "vhdx",
    "qcow": "qcow2",
    "dmg": "dmg",
    "parallels": "parallels-descriptor",
    "parallels-hds": "parallels",
    "android-sparse": "android-sparse",
    "vdi": "vdi",
    "aff4": "aff4",
    "raw": "raw",
}


def _sample(kind: str, raw: Path, folder: Path) -> Path:
    if kind == "raw":
        folder.mkdir()
        return Path(shutil.copy(raw, folder / "disk.raw"))
    if kind == "ewf":
        folder.mkdir()
        return disks.to_e01(raw, folder / "disk")
    if kind == "dmg":
        folder.mkdir()
        return Path(shutil.copy(DATA / "hfsplus_zlib.dmg", folder / "x.dmg"))
    if kind == "vdi":
        folder.mkdir()
        return _qemu(raw, folder / "disk.vdi", "vdi")
    if kind == "aff4":
        folder.mkdir()
        target = folder / "disk.aff4"
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("container.description", "aff4://0000\n")
            archive.writestr("information.turtle", "@prefix aff4: <x> .\n")
        return target
    if kind == "parallels-descriptor":
        hdd = folder / "disk.hdd"
        hdd.mkdir(parents=True)
        _qemu(raw, hdd / "disk.hdd.0.hds", "parallels")
        sectors = raw.stat().st_size // 512
        (hdd / "DiskDescriptor.xml").write_text(_descriptor(sectors, "disk.hdd.0.hds"))
        return hdd / "DiskDescriptor.xml"
    return _stored(raw, kind, folder)


def _descriptor(sectors: int, data_file: str) -> str:
    """A Parallels DiskDescriptor.xml naming one expanding data file."""
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<Parallels_disk_image Version="1.0">
 <Disk_Parameters><Disk_size>{sectors}</Disk_size>
  <Cylinders>{sectors // 512}</Cylinders>
  <LogicSectorSize>512</LogicSectorSize><Heads>16</Heads><Sectors>32</Sectors>
  <Padding>0</Padding><UID>{{18162a18-c23a-4f90-8a9d-b7c93a4ef2a6}}</UID>
  <Name>disk</Name></Disk_Parameters>
 <StorageData><Storage><Start>0</Start><End>{sectors}</End><Blocksize>2048</Blocksize>
  <Image><GUID>{{5fbaabe3-6958-40ff-92a7-860e329aab41}}</GUID><Type>Compressed</Type>
  <File>{data_file}</File></Image></Storage></StorageData>
 <Snapshots><Shot><GUID>{{5fbaabe3-6958-40ff-92a7-860e329aab41}}</GUID>
  <ParentGUID>{{00000000-0000-0000-0000-000000000000}}</ParentGUID></Shot></Snapshots>
</Parallels_disk_image>
"""


def test_every_registered_image_format_has_a_sample_that_opens_or_is_refused(
    raw_disk: Path, tmp_path: Path
) -> None:
    from kavach.evidence.sources.image_formats import Look, Unread
    from kavach.evidence.sources.images import ImageError, formats, open_image

    _need("qemu-img", "img2simg")
    assert set(formats().names()) == set(SAMPLES)
    for name, kind in SAMPLES.items():
        fmt = formats().get(name)
        path = _sample(kind, raw_disk, tmp_path / name)
        raw_path = bytes(path)
        if name != "raw":
            assert formats().detect(Look.of_file(raw_path)) is fmt, name
        if isinstance(fmt, Unread):
            with pytest.raises(ImageError, match="no reader"):
                open_image(raw_path)
            continue
        image = open_image(raw_path)
        try:
            assert image.kind == name.removesuffix("-hds")
            head = image.read(0, 512)
            assert len(head) == 512, name
        finally:
            image.close()


def test_a_differential_chain_that_loops_is_a_warning(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    """A damaged pair of QCOW2 images, each naming the other as its backing file."""
    _need("qemu-img")
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    a, b = exhibit / "a.qcow2", exhibit / "b.qcow2"
    for command in (
        ["create", "-q", "-f", "qcow2", str(a), "1M"],
        ["create", "-q", "-f", "qcow2", "-b", "a.qcow2", "-F", "qcow2", str(b)],
        ["rebase", "-u", "-b", "b.qcow2", "-F", "qcow2", str(a)],  # the damage
    ):
        subprocess.run(["qemu-img", *command], check=True, cwd=exhibit)
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=1)
    warnings = {
        w["path"]: w["reason"]
        for w in read_csv(out / "warnings.csv")
        if w["stage"] == "container"
    }
    assert "chain of parents loops back to 'a.qcow2'" in warnings["a.qcow2"]
    assert "chain of parents loops back to 'b.qcow2'" in warnings["b.qcow2"]
