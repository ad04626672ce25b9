"""Disk images inside other evidence: a USB stick's image saved on a seized disk,
a compressed image inside an archive — opened in place, and bounded like archives.

(Images inside zip and tar archives, in every format, are in test_image_formats.py.)
"""

from __future__ import annotations

import gzip
import hashlib
import zipfile
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_vics
from tests.helpers import disks
from tests.helpers.scanning import import_demo_lists, read_csv, scan

PICTURE = encode(draw_picture(811))


def _list_picture(app: Kavach, tmp_path: Path) -> None:
    path = tmp_path / "partner.json"
    write_vics(path, [listed(PICTURE)])
    import_demo_lists(app, DemoSet(exhibit=tmp_path, lists=[("partner", path)]))


def test_an_image_saved_on_a_seized_disk_is_opened_and_its_files_matched(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    disks.require_tools()
    stick = disks.fat_volume(
        tmp_path / "stick.img",
        {"DCIM/kept.jpg": PICTURE, "note.txt": b"inner\n" * 50},
        [],
        size_mb=4,
    )
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    disks.fat_volume(
        exhibit / "laptop.raw", {"backup/stick.img": stick.read_bytes()}, []
    )
    _list_picture(sqlite_app, tmp_path)
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=2)
    prefix = "laptop.raw#p1:/backup/stick.img#p1:/"
    files = read_csv(out / "files.csv")
    ours = {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in files
        if f["path"].startswith(prefix)
    }
    assert ours == disks.fls_files(stick, 0)
    hits = {h["path"]: h["md5"] for h in read_csv(out / "hits.csv")}
    assert hits[f"{prefix}DCIM/kept.jpg"] == hashlib.md5(PICTURE).hexdigest()
    depth = {f["path"]: f["depth"] for f in files}
    assert depth["laptop.raw#p1:/backup/stick.img"] == "0"
    assert depth[f"{prefix}DCIM/kept.jpg"] == "1"


def test_a_compressed_image_that_expands_past_the_limit_is_not_read(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    """64 MiB of an almost empty FAT volume gzip to a few dozen KiB: past the
    250x ratio an archive member may expand to, so it is refused, by name."""
    disks.require_tools()
    volume = disks.fat_volume(tmp_path / "big.img", {"a.txt": b"x"}, [], size_mb=64)
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    with zipfile.ZipFile(exhibit / "copies.zip", "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("big.img.gz", gzip.compress(volume.read_bytes()))
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=1)
    warnings = {
        w["path"]: w["reason"]
        for w in read_csv(out / "warnings.csv")
        if w["stage"] == "container"
    }
    reason = warnings["copies.zip!/big.img.gz"]
    assert reason.startswith("a gzip-compressed disk image inside an archive: ")
    assert "decompresses to more than 16,777,216 bytes" in reason
    files = {f["path"] for f in read_csv(out / "files.csv")}
    assert "copies.zip!/big.img.gz" in files  # hashed all the same
    assert not any("#p1" in path for path in files)


def test_a_dmg_in_a_zip_known_by_its_trailer_is_opened(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    """A UDIF DMG says what it is only in its last 512 bytes (the koly trailer):
    dfVFS's sample, with 1.2 MB of zeros before its trailer to pass the size a
    file inside must have to be looked at (the trailer's offsets still hold)."""
    sample = Path(__file__).parent.parent / "data" / "dfvfs" / "hfsplus_zlib.dmg"
    dmg = sample.read_bytes()
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    with zipfile.ZipFile(exhibit / "copies.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mac.dmg", dmg[:-512] + bytes(1_200_000) + dmg[-512:])
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=1)
    files = {f["path"]: f["md5"] for f in read_csv(out / "files.csv")}
    # The files dfVFS's own tests find in it; passwords.txt as in its APFS sample.
    for name in ("a_directory/a_file", "a_directory/another_file"):
        assert f"copies.zip!/mac.dmg#p1:/{name}" in files
    passwords = files["copies.zip!/mac.dmg#p1:/passwords.txt"]
    assert passwords == "39cb097008d17660abd0539891a672af"
