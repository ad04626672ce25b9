"""Phone extractions: UFDR-style report.xml and iOS backups show original paths."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet, listed
from kavach.demo.lists import write_vics
from tests.helpers.scanning import import_demo_lists, read_csv, scan
from tests.helpers.source_samples import ios_backup, ufdr_report

LISTED = encode(draw_picture(811))
OTHER = encode(draw_picture(812))


def _list(app: Kavach, tmp_path: Path) -> None:
    path = tmp_path / "partner.json"
    write_vics(path, [listed(LISTED)])
    import_demo_lists(app, DemoSet(exhibit=tmp_path, lists=[("partner", path)]))


def test_ufdr_report_gives_original_paths_times_and_checks_hashes(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    _list(sqlite_app, tmp_path)
    report = ufdr_report(
        [
            (
                "/private/var/mobile/Media/DCIM/100APPLE/IMG_0001.JPG",
                "files\\Image\\IMG_0001.JPG",
                hashlib.sha256(LISTED).hexdigest().upper(),
                "Intact",
            ),
            (
                "/private/var/mobile/Media/DCIM/100APPLE/IMG_0002.JPG",
                "files\\Image\\IMG_0002.JPG",
                "0" * 64,
                "Deleted",
            ),
        ]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as extraction:
        extraction.writestr("report.xml", report)
        extraction.writestr("files/Image/IMG_0001.JPG", LISTED)
        extraction.writestr("files/Image/IMG_0002.JPG", OTHER)
    root = tmp_path / "exhibit"
    root.mkdir()
    (root / "iphone.ufdr").write_bytes(buffer.getvalue())
    out = tmp_path / "out"
    scan(sqlite_app, root, out)
    hits = read_csv(out / "hits.csv")
    assert [h["path"] for h in hits] == [
        "iphone.ufdr!/private/var/mobile/Media/DCIM/100APPLE/IMG_0001.JPG"
    ]
    assert hits[0]["extracted_as"] == "iphone.ufdr!/files/Image/IMG_0001.JPG"
    assert "CreationTime=2020-12-01T10:10:00+05:30" in hits[0]["times"]
    files = {f["path"]: f for f in read_csv(out / "files.csv")}
    second = files["iphone.ufdr!/private/var/mobile/Media/DCIM/100APPLE/IMG_0002.JPG"]
    assert second["deleted"] == "true"
    warnings = read_csv(out / "warnings.csv")
    assert [(w["stage"], w["path"]) for w in warnings] == [
        ("report", "iphone.ufdr!/private/var/mobile/Media/DCIM/100APPLE/IMG_0002.JPG")
    ]
    assert "report.xml states sha256 " + "0" * 64 in warnings[0]["reason"]


def test_ios_backup_shows_domain_and_relative_path(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    _list(sqlite_app, tmp_path)
    backup = tmp_path / "exhibit" / "00008030-001A2B3C4D5E"
    files = {
        ("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.JPG"): LISTED,
        ("HomeDomain", "Library/SMS/Attachments/ab/IMG_9.JPG"): OTHER,
    }
    ios_backup(backup, files)
    out = tmp_path / "out"
    scan(sqlite_app, tmp_path / "exhibit", out)
    hits = read_csv(out / "hits.csv")
    assert [h["path"] for h in hits] == [
        "00008030-001A2B3C4D5E/CameraRollDomain/Media/DCIM/100APPLE/IMG_0001.JPG"
    ]
    assert hits[0]["extracted_as"].startswith("00008030-001A2B3C4D5E/")
    paths = {f["path"] for f in read_csv(out / "files.csv")}
    assert (
        "00008030-001A2B3C4D5E/HomeDomain/Library/SMS/Attachments/ab/IMG_9.JPG" in paths
    )
