"""Damaged disk images: what cannot be opened is reported *and* carved."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_vics
from tests.helpers import disks
from tests.helpers.scanning import import_demo_lists, read_csv, scan

PICTURE = encode(draw_picture(4242))


def _listed(app: Kavach, tmp_path: Path) -> None:
    path = tmp_path / "partner.json"
    write_vics(path, [listed(PICTURE)])
    import_demo_lists(app, DemoSet(exhibit=tmp_path, lists=[("partner", path)]))


Rows = list[dict[str, str]]


def _scan(app: Kavach, tmp_path: Path, name: str, data: bytes) -> tuple[Rows, Rows]:
    root = tmp_path / "exhibit"
    root.mkdir()
    (root / name).write_bytes(data)
    before = hashlib.sha256(data).hexdigest()
    out = tmp_path / "out"
    scan(app, root, out, workers=2)
    assert hashlib.sha256((root / name).read_bytes()).hexdigest() == before
    return read_csv(out / "hits.csv"), read_csv(out / "warnings.csv")


def test_zeroed_superblock_still_gives_up_the_picture(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    disks.require_tools()
    volume = disks.ext4_volume(tmp_path / "v.img", {"DCIM/a.jpg": PICTURE}, [])
    data = bytearray(volume.read_bytes())
    data[1024:2048] = bytes(1024)  # the primary superblock, wiped
    _listed(sqlite_app, tmp_path)
    hits, warnings = _scan(sqlite_app, tmp_path, "phone.img", bytes(data))
    assert [w["path"] for w in warnings] == ["phone.img#p1:"]
    assert "no file system" in warnings[0]["reason"]
    assert "carved instead" in warnings[0]["reason"]
    assert [h["carved"] for h in hits] == ["true"]
    assert hits[0]["path"].startswith("phone.img#p1:$Carved/")


def test_raw_named_file_nothing_recognises_is_a_damaged_volume(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    _listed(sqlite_app, tmp_path)
    noise = os.urandom(256 * 1024)
    data = noise[:100_000] + PICTURE + noise[100_000:]
    hits, warnings = _scan(sqlite_app, tmp_path, "usb.dd", data)
    assert any(w["path"] == "usb.dd#p1:" for w in warnings)
    assert [h["path"].startswith("usb.dd#p1:$Carved/") for h in hits] == [True]


def test_partition_past_the_end_is_reported(sqlite_app: Kavach, tmp_path: Path) -> None:
    disks.require_tools()
    fat = disks.fat_volume(tmp_path / "f.vol", {"a.jpg": PICTURE}, [])
    disk = disks.partitioned(tmp_path / "cut.dd", fat, "dos", fat=True)
    data = disk.read_bytes()
    _listed(sqlite_app, tmp_path)
    _, warnings = _scan(sqlite_app, tmp_path, "cut.dd", data[: len(data) // 2])
    reasons = [w["reason"] for w in warnings if w["path"] == "cut.dd#p1:"]
    assert any("runs past the end of the image" in r for r in reasons), warnings
