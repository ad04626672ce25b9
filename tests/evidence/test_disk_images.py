"""Disk images (FAT and ext4, MBR and GPT, raw and E01) with deleted pictures."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_vics
from kavach.evidence.refs import PathSpec
from kavach.services.hits import HitFormat
from kavach.storage.tables import file_record, scan_warning
from tests.helpers import disks
from tests.helpers.scanning import import_demo_lists, read_csv, scan

PICTURES = [encode(draw_picture(300 + i)) for i in range(6)]
FILES = {
    "DCIM/kept.jpg": PICTURES[0],
    "DCIM/gone.jpg": PICTURES[1],
    "Pictures/other.jpg": PICTURES[2],
    "notes.txt": b"ordinary notes\n" * 50,
    "Pictures/also_gone.jpg": PICTURES[3],
}
DELETED = ["DCIM/gone.jpg", "Pictures/also_gone.jpg"]


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    disks.require_tools()
    base = tmp_path_factory.mktemp("disks")
    fat = disks.fat_volume(base / "fat.vol", FILES, DELETED)
    ext = disks.ext4_volume(base / "ext.vol", FILES, DELETED)
    built = {
        "fat-mbr": disks.partitioned(base / "fat-mbr.dd", fat, "dos", fat=True),
        "ext4-gpt": disks.partitioned(base / "ext4-gpt.img", ext, "gpt", fat=False),
        "fat-bare": fat,
    }
    built["ext4-gpt-e01"] = disks.to_e01(built["ext4-gpt"], base / "ext4-gpt-copy")
    built["fat-mbr-e01"] = disks.to_e01(built["fat-mbr"], base / "fat-mbr-copy")
    return built


def _lists(app: Kavach, tmp_path: Path) -> None:
    path = tmp_path / "partner.json"
    write_vics(path, [listed(p) for p in PICTURES[:4]])
    import_demo_lists(app, DemoSet(exhibit=tmp_path, lists=[("partner", path)]))


Rows = list[dict[str, str]]


def _scan_one(app: Kavach, image: Path, tmp_path: Path) -> tuple[Rows, Rows, Rows]:
    root = tmp_path / "exhibit"
    root.mkdir()
    (root / image.name).write_bytes(image.read_bytes())  # symlinks are not followed
    out = tmp_path / "out"
    scan(app, root, out, workers=2)
    return (
        read_csv(out / "hits.csv"),
        read_csv(out / "files.csv"),
        read_csv(out / "warnings.csv"),
    )


@pytest.mark.parametrize(
    "name", ["fat-mbr", "ext4-gpt", "ext4-gpt-e01", "fat-mbr-e01", "fat-bare"]
)
def test_planted_pictures_found_including_deleted_and_carved(
    sqlite_app: Kavach, images: dict[str, Path], tmp_path: Path, name: str
) -> None:
    _lists(sqlite_app, tmp_path)
    image = images[name]
    hits, files, _ = _scan_one(sqlite_app, image, tmp_path)
    prefix = f"{image.name}#p1:"
    live = {
        h["path"] for h in hits if h["carved"] == "false" and h["deleted"] == "false"
    }
    assert {f"{prefix}/DCIM/kept.jpg", f"{prefix}/Pictures/other.jpg"} <= live
    # Every listed picture is found: live, deleted (content recovered) or carved.
    found = {h["md5"] for h in hits}
    assert found == {hashlib.md5(p).hexdigest() for p in PICTURES[:4]}
    carved = [h for h in hits if h["carved"] == "true"]
    assert carved and all(h["path"].startswith(f"{prefix}$Carved/") for h in carved)
    assert all(int(h["offset"]) > 0 for h in carved)
    if name.startswith("fat"):  # FAT keeps a deleted file's first cluster: recovered
        deleted = {h["path"] for h in hits if h["deleted"] == "true"}
        assert any(p.endswith("gone.jpg") for p in deleted)
    inodes = {f["path"]: f["inode"] for f in files if f["carved"] == "false"}
    assert inodes[f"{prefix}/DCIM/kept.jpg"].isdigit()


@pytest.mark.parametrize(
    ("name", "offset", "ewf"),
    [
        ("fat-mbr", disks.START, False),
        ("ext4-gpt", disks.START, False),
        ("ext4-gpt-e01", disks.START, True),
        ("fat-bare", 0, False),
    ],
)
def test_listing_equals_sleuth_kit_fls(
    sqlite_app: Kavach,
    images: dict[str, Path],
    tmp_path: Path,
    name: str,
    offset: int,
    ewf: bool,
) -> None:
    image = images[name]
    _, files, _ = _scan_one(sqlite_app, image, tmp_path)
    prefix = f"{image.name}#p1:/"
    ours = {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in files
        if f["path"].startswith(prefix) and f["depth"] == "0"
    }
    theirs = disks.fls_files(image, offset, ewf)
    assert ours == theirs
    assert any(deleted for _, deleted in ours)


def test_ntfs_volume_files_match_and_list_like_fls(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    disks.require_tools()
    volume = disks.ntfs_volume(
        tmp_path / "ntfs.img", {"kept.jpg": PICTURES[0], "notes.txt": b"x" * 3000}
    )
    _lists(sqlite_app, tmp_path)
    hits, files, _ = _scan_one(sqlite_app, volume, tmp_path)
    assert [h["path"] for h in hits] == ["ntfs.img#p1:/kept.jpg"]
    prefix = "ntfs.img#p1:/"
    ours = {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in files
        if f["path"].startswith(prefix)
    }
    assert ours == disks.fls_stored(volume, 0)


def test_logical_partitions_follow_the_primary_ones(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    disks.require_tools()
    fat = disks.fat_volume(tmp_path / "a.vol", {"first.jpg": PICTURES[0]}, [])
    ext = disks.ext4_volume(tmp_path / "b.vol", {"second.jpg": PICTURES[1]}, [])
    disk = disks.with_logical(tmp_path / "mbr-logical.dd", fat, ext)
    _lists(sqlite_app, tmp_path)
    hits, _, _ = _scan_one(sqlite_app, disk, tmp_path)
    live = {h["path"] for h in hits if h["carved"] == "false"}
    assert live == {"mbr-logical.dd#p1:/first.jpg", "mbr-logical.dd#p2:/second.jpg"}


def test_folder_named_with_a_colon_keeps_every_path_right(
    sqlite_app: Kavach, images: dict[str, Path], tmp_path: Path
) -> None:
    """A colon in a folder name once cut carved files' paths at the wrong place."""
    image = images["fat-mbr"]
    root = tmp_path / "exhibit"
    folder = root / "2020-12-01T10:30"
    folder.mkdir(parents=True)
    (folder / image.name).write_bytes(image.read_bytes())
    _lists(sqlite_app, tmp_path)
    out = tmp_path / "out"
    scan(sqlite_app, root, out, workers=2)
    prefix = f"2020-12-01T10:30/{image.name}#p1:"
    hits, files = read_csv(out / "hits.csv"), read_csv(out / "files.csv")
    carved = [h for h in hits if h["carved"] == "true"]
    deleted = [h for h in hits if h["deleted"] == "true"]
    assert carved and deleted
    for row in [*hits, *files]:
        assert row["path"] == f"2020-12-01T10:30/{image.name}" or row[
            "path"
        ].startswith(prefix), row["path"]
    assert all(h["path"].startswith(f"{prefix}$Carved/") for h in carved)
    folders = {h["path"].rsplit("/", 1)[0] for h in deleted}  # FAT renames: _one.jpg
    assert folders == {f"{prefix}/DCIM", f"{prefix}/Pictures"}
    report = (out / "report.html").read_text()
    assert f"{prefix}$Carved/" in report
    vics = io.StringIO()
    sqlite_app.services.hits.export(None, HitFormat.VICS, vics, "test-examiner")
    paths = {
        f"{m['FilePath']}/{m['FileName']}"
        for media in json.loads(vics.getvalue())["value"]
        for m in media["MediaFiles"]
    }
    assert paths == {h["path"] for h in hits}
    for table in (file_record, scan_warning):
        with sqlite_app.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.path, table.c.path_bytes, table.c.spec)
            ).all()
        for path, raw, spec in rows:
            decoded = PathSpec.decode(spec)
            assert decoded.display() == path and decoded.raw() == raw
