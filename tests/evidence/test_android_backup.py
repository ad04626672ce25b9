"""Android backups (``adb backup``): app files read from the compressed tar; an
encrypted backup is a container not read, never a silent zero."""

from __future__ import annotations

import zlib
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_vics
from tests.helpers.scanning import import_demo_lists, read_csv, scan
from tests.helpers.source_samples import android_backup

PICTURE = encode(draw_picture(991))


def test_app_files_in_a_backup_are_scanned_and_encrypted_ones_said(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    files = {
        "apps/com.whatsapp/f/Media/IMG-1.jpg": PICTURE,
        "apps/com.whatsapp/db/msgstore.db": b"SQLite format 3\x00" + bytes(2000),
        "apps/com.whatsapp/_manifest": b"manifest",
    }
    (exhibit / "backup.ab").write_bytes(android_backup(files))
    (exhibit / "locked.ab").write_bytes(
        b"ANDROID BACKUP\n5\n1\nAES-256\nSALT\nSALT\n10000\nIV\nBLOB\n"
        + zlib.compress(b"x" * 1000)
    )
    lists = tmp_path / "partner.json"
    write_vics(lists, [listed(PICTURE)])
    import_demo_lists(sqlite_app, DemoSet(exhibit=tmp_path, lists=[("p", lists)]))
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out)
    paths = {f["path"] for f in read_csv(out / "files.csv")}
    assert {f"backup.ab!/{name}" for name in files} <= paths
    hits = [h["path"] for h in read_csv(out / "hits.csv")]
    assert hits == ["backup.ab!/apps/com.whatsapp/f/Media/IMG-1.jpg"]
    warnings = {w["path"]: w for w in read_csv(out / "warnings.csv")}
    assert warnings["locked.ab"]["stage"] == "container"
    assert "encrypted with AES-256" in warnings["locked.ab"]["reason"]
