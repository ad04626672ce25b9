"""APFS and XFS, which pytsk3 does not read, through pyfsapfs and pyfsxfs.

APFS: dfVFS's sample container (tests/data/dfvfs/apfs.raw.gz, made on macOS by
others), read gzipped as it ships; its volume is ``#apfs1``. XFS: a file system
made at test time by mkfs.xfs from a prototype file (no mounting), holding a listed
picture.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_vics
from tests.helpers.scanning import import_demo_lists, read_csv, scan

DATA = Path(__file__).parent.parent / "data" / "dfvfs"
# dfVFS's test_data/password.txt: the same 116 bytes lie in the APFS volume.
PASSWORDS_MD5 = "39cb097008d17660abd0539891a672af"


def test_an_apfs_container_is_read_volume_by_volume(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    shutil.copy(DATA / "apfs.raw.gz", exhibit / "apfs.raw.gz")
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=2)
    prefix = "apfs.raw.gz#p1#apfs1:/"
    files = {
        f["path"].removeprefix(prefix): f
        for f in read_csv(out / "files.csv")
        if f["path"].startswith(prefix)
    }
    # The regular files dfVFS's tests find there (the symlink a_link is none),
    # beside macOS's own .fseventsd records.
    assert {p for p in files if not p.startswith(".fseventsd/")} == {
        "a_directory/a_file",
        "a_directory/a_resourcefork",
        "a_directory/another_file",
        "passwords.txt",
    }
    assert files["passwords.txt"]["md5"] == PASSWORDS_MD5
    assert files["passwords.txt"]["size"] == "116"
    assert not [w for w in read_csv(out / "warnings.csv") if w["stage"] == "container"]


# Block 500 of dfVFS's 1,014-block container is zeros: space no volume uses.
APFS_FREE = 500 * 4096


def test_a_picture_in_an_apfs_containers_free_space_is_carved_once(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    picture = encode(draw_picture(978))
    container = bytearray(gzip.decompress((DATA / "apfs.raw.gz").read_bytes()))
    assert not any(container[APFS_FREE : APFS_FREE + len(picture)])
    container[APFS_FREE : APFS_FREE + len(picture)] = picture
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    (exhibit / "apfs.raw").write_bytes(container)
    lists = tmp_path / "partner.json"
    write_vics(lists, [listed(picture)])
    import_demo_lists(sqlite_app, DemoSet(exhibit=tmp_path, lists=[("p", lists)]))
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=2)
    hits = [h["path"] for h in read_csv(out / "hits.csv")]
    assert hits == [f"apfs.raw#p1:$Carved/{APFS_FREE}.jpg"]
    files = {f["path"] for f in read_csv(out / "files.csv")}
    assert "apfs.raw#p1#apfs1:/passwords.txt" in files
    assert [p for p in files if "$Carved" in p] == hits


def test_an_xfs_volume_is_read_and_its_pictures_matched(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    mkfs = shutil.which("mkfs.xfs") or "/usr/sbin/mkfs.xfs"
    if not Path(mkfs).exists():
        pytest.fail("mkfs.xfs missing (make install installs xfsprogs)")
    picture = encode(draw_picture(977))
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "a.jpg").write_bytes(picture)
    (staging / "notes.txt").write_bytes(b"notes " * 1000)
    dropped = encode(draw_picture(979))  # written later into free space
    proto = tmp_path / "proto"
    proto.write_text(
        "/dummy\n0 0\nd--755 0 0\n"
        f"notes.txt ---644 0 0 {staging / 'notes.txt'}\n"
        "DCIM d--755 0 0\n"
        f"a.jpg ---644 0 0 {staging / 'a.jpg'}\n"
        "$\n$\n"
    )
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    volume = exhibit / "xfs.img"
    with volume.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # mkfs.xfs's smallest
    subprocess.run([mkfs, "-q", "-p", str(proto), str(volume)], check=True)
    # The last allocation group's end is free: a picture written there (as one
    # deleted and overwritten leaves it) is carved, as a.jpg is not.
    free = 290 * 1024 * 1024
    with volume.open("r+b") as handle:
        handle.seek(free)
        handle.write(dropped)
    lists = tmp_path / "partner.json"
    write_vics(lists, [listed(picture), listed(dropped)])
    import_demo_lists(sqlite_app, DemoSet(exhibit=tmp_path, lists=[("p", lists)]))
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=2)
    files = {f["path"]: f for f in read_csv(out / "files.csv")}
    assert {p for p in files if p.startswith("xfs.img#")} == {
        "xfs.img#p1:/DCIM/a.jpg",
        "xfs.img#p1:/notes.txt",
        f"xfs.img#p1:$Carved/{free}.jpg",
    }
    assert (
        files["xfs.img#p1:/notes.txt"]["md5"]
        == hashlib.md5(b"notes " * 1000).hexdigest()
    )
    assert sorted(h["path"] for h in read_csv(out / "hits.csv")) == [
        f"xfs.img#p1:$Carved/{free}.jpg",
        "xfs.img#p1:/DCIM/a.jpg",
    ]
