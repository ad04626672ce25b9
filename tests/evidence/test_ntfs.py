"""NTFS's hidden corners: alternate data streams and deleted names with no metadata.

A picture hidden in a stream (``notes.txt:hidden``, as on DFTT 8) is a file of its
own and a hit; every stream is a row, as ``fls`` lists them. dfir_ntfs's sample
(tests/data/dfir_ntfs, made by others on Windows) holds deleted names whose
metadata is gone: they are listed as warnings, never dropped.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_vics
from tests.helpers import disks
from tests.helpers.scanning import import_demo_lists, read_csv, scan

SAMPLE = Path(__file__).parent.parent / "data" / "dfir_ntfs" / "ntfs_index.raw.gz"
HIDDEN = encode(draw_picture(951))


def test_a_picture_in_an_alternate_stream_is_a_hit(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    disks.require_tools()
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    volume = disks.ntfs_volume(
        exhibit / "ntfs.img", {"notes.txt": b"a note\n" * 40, "kept.txt": b"k" * 900}
    )
    picture = tmp_path / "hidden.jpg"
    picture.write_bytes(HIDDEN)
    subprocess.run(
        ["ntfscp", "-N", "hidden", str(volume), str(picture), "/notes.txt"],
        check=True,
        capture_output=True,
    )
    lists = tmp_path / "partner.json"
    write_vics(lists, [listed(HIDDEN)])
    import_demo_lists(sqlite_app, DemoSet(exhibit=tmp_path, lists=[("p", lists)]))
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=2)
    hits = read_csv(out / "hits.csv")
    assert "ntfs.img#p1:/notes.txt:hidden" in {h["path"] for h in hits}
    prefix = "ntfs.img#p1:/"
    ours = {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in read_csv(out / "files.csv")
        if f["path"].startswith(prefix)
    }
    theirs = disks.fls_files(volume, 0)
    assert ("notes.txt:hidden", False) in theirs
    # The bad-cluster map is a stream as long as the volume with nothing stored:
    # a warning, not a file to hash.
    empty = {
        w["path"].removeprefix(prefix)
        for w in read_csv(out / "warnings.csv")
        if "no data stored" in w["reason"]
    }
    assert empty == disks.NOTHING_STORED
    assert ours == disks.fls_stored(volume, 0)


def test_deleted_names_without_metadata_are_listed_like_fls(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    shutil.copy(SAMPLE, exhibit / SAMPLE.name)  # read as it ships: gzipped
    raw = tmp_path / "ntfs_index.raw"
    raw.write_bytes(gzip.decompress(SAMPLE.read_bytes()))
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=2)
    prefix = f"{SAMPLE.name}#p1:/"
    files = {
        (f["path"].removeprefix(prefix), f["deleted"] == "true")
        for f in read_csv(out / "files.csv")
        if f["path"].startswith(prefix)
    }
    assert files == disks.fls_stored(raw, 128)
    named_only = {
        w["path"].removeprefix(prefix)
        for w in read_csv(out / "warnings.csv")
        if "only its name is left" in w["reason"]
    }
    assert named_only == disks.fls_name_only(raw, 128)
    assert "test_dir/BBBBBBBBBBBBB-del.txt" in named_only
