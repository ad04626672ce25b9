"""Volumes inside volumes: LVM2 logical volumes and volume shadow copies.

dfVFS's samples (tests/data/dfvfs), both QCOW2 images made by others: an LVM2
physical volume with two logical volumes, and an NTFS volume with two shadow
copies. Each logical volume and each shadow copy is a volume of its own
(``#p1#lv-lv_test1``, ``#p1#vss1``), listed like ``fls`` lists its bytes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from tests.helpers import disks
from tests.helpers.scanning import read_csv, scan

DATA = Path(__file__).parent.parent / "data" / "dfvfs"


def _scan(app: Kavach, sample: str, tmp_path: Path) -> tuple[list[dict[str, str]], ...]:
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    shutil.copy(DATA / sample, exhibit / sample)
    out = tmp_path / "out"
    scan(app, exhibit, out, workers=2)
    return read_csv(out / "files.csv"), read_csv(out / "warnings.csv")


def _listed(files: list[dict[str, str]], prefix: str) -> set[tuple[str, bool]]:
    return {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in files
        if f["path"].startswith(prefix) and f["depth"] == "0"  # not archive members
    }


def _dump(read: object, size: int, target: Path) -> Path:
    """A volume's bytes written out for fls (through the same read the test
    checks against an independent lister)."""
    with target.open("wb") as handle:
        for offset in range(0, size, 1 << 20):
            handle.write(read(min(1 << 20, size - offset), offset))  # type: ignore[operator]
    return target


def _raw_copy(sample: str, tmp_path: Path) -> Path:
    """qemu-img's raw copy of a sample, for fls and the bindings to read."""
    if shutil.which("qemu-img") is None:
        pytest.fail("qemu-img missing (make install installs it)")
    raw = tmp_path / "copy.raw"
    subprocess.run(
        ["qemu-img", "convert", "-O", "raw", str(DATA / sample), str(raw)], check=True
    )
    return raw


def test_each_logical_volume_is_a_volume(sqlite_app: Kavach, tmp_path: Path) -> None:
    import pyvslvm

    files, warnings = _scan(sqlite_app, "lvmtest.qcow2", tmp_path)
    raw = _raw_copy("lvmtest.qcow2", tmp_path)
    handle = pyvslvm.handle()
    handle.open(str(raw))
    handle.open_physical_volume_files([str(raw)])
    volumes = {lv.name: lv for lv in handle.get_volume_group().logical_volumes}
    assert set(volumes) == {"lv_test1", "lv_test2"}
    dumped = _dump(
        volumes["lv_test1"].read_buffer_at_offset,
        volumes["lv_test1"].size,
        tmp_path / "lv1.raw",
    )
    ours = _listed(files, "lvmtest.qcow2#p1#lv-lv_test1:/")
    assert ours == disks.fls_stored(dumped, 0)
    assert ("passwords.txt", False) in ours
    # The second holds an empty ext2: said, never a silent zero.
    empty = {w["path"]: w for w in warnings if w["stage"] == "container"}
    assert "lists no files" in empty["lvmtest.qcow2#p1#lv-lv_test2:"]["reason"]


def test_each_shadow_copy_is_a_volume(sqlite_app: Kavach, tmp_path: Path) -> None:
    import pyvshadow

    files, _ = _scan(sqlite_app, "vsstest.qcow2", tmp_path)
    raw = _raw_copy("vsstest.qcow2", tmp_path)
    live = _listed(files, "vsstest.qcow2#p1:/")
    assert live == disks.fls_stored(raw, 0)
    volume = pyvshadow.volume()
    volume.open(str(raw))
    assert volume.number_of_stores == 2
    for number, store in enumerate(volume.stores, 1):
        dumped = _dump(
            store.read_buffer_at_offset, store.volume_size, tmp_path / f"s{number}.raw"
        )
        listed = _listed(files, f"vsstest.qcow2#p1#vss{number}:/")
        assert listed == disks.fls_stored(dumped, 0), number
    # The first copy holds syslog before it was compressed; the live volume
    # has only syslog.gz.
    assert ("syslog", False) in _listed(files, "vsstest.qcow2#p1#vss1:/")
    assert ("syslog", False) not in live and ("syslog.gz", False) in live
