"""A small sample of every evidence source, for the contract test.

Each builder makes one container inside an exhibit folder and returns the display
paths of the files a scan must list from it (beside the container file itself).
Disk images come from dfVFS's public test data; the rest are made here in the real
formats' shapes.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from kavach.demo.draw import draw_picture, encode

Sample = Callable[[Path, Path], list[str]]  # (exhibit folder, testdata) -> paths
PICTURE = encode(draw_picture(7))


def ufdr_report(files: list[tuple[str, str, str, str]]) -> bytes:
    """A UFDR ``report.xml``: (original path, local path, SHA-256, Intact|Deleted)."""
    entries = "".join(
        f"""
    <file fs="Apple" path="{original}" size="1" id="{i}" deleted="{state}">
      <accessInfo>
        <timestamp name="CreationTime">2020-12-01T10:1{i}:00+05:30</timestamp>
        <timestamp name="ModifyTime">2020-12-02T08:00:00+05:30</timestamp>
      </accessInfo>
      <metadata section="File">
        <item name="Local Path"><![CDATA[{local}]]></item>
        <item name="SHA256"><![CDATA[{sha256}]]></item>
      </metadata>
    </file>"""
        for i, (original, local, sha256, state) in enumerate(files)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<project id="p1" name="P-Hunt seizure 12" xmlns="http://pa.cellebrite.com/report/2.0">
  <taggedFiles>{entries}
  </taggedFiles>
</project>""".encode()


def ios_backup(backup: Path, files: dict[tuple[str, str], bytes]) -> None:
    """An iOS backup folder: files under their SHA-1 names and a Manifest.db."""
    backup.mkdir(parents=True)
    connection = sqlite3.connect(backup / "Manifest.db")
    connection.execute(
        "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, "
        "relativePath TEXT, flags INTEGER, file BLOB)"
    )
    for (domain, relative), data in files.items():
        file_id = hashlib.sha1(f"{domain}-{relative}".encode()).hexdigest()
        (backup / file_id[:2]).mkdir(exist_ok=True)
        (backup / file_id[:2] / file_id).write_bytes(data)
        connection.execute(
            "INSERT INTO Files VALUES (?, ?, ?, 1, NULL)", (file_id, domain, relative)
        )
    connection.execute(
        "INSERT INTO Files VALUES ('x', 'HomeDomain', 'Library', 2, NULL)"
    )
    connection.commit()
    connection.close()


def _folder(exhibit: Path, _: Path) -> list[str]:
    (exhibit / "DCIM").mkdir()
    (exhibit / "DCIM" / "a.jpg").write_bytes(PICTURE)
    (exhibit / "notes.txt").write_text("notes\n")
    return ["DCIM/a.jpg", "notes.txt"]


def _disk_image(exhibit: Path, testdata: Path) -> list[str]:
    shutil.copy(testdata / "dfvfs" / "ext2.E01", exhibit / "ext2.E01")
    return ["ext2.E01#p1:/passwords.txt", "ext2.E01#p1:/a_directory/a_file"]


def _ios_backup(exhibit: Path, _: Path) -> list[str]:
    ios_backup(exhibit / "backup", {("CameraRollDomain", "Media/a.jpg"): PICTURE})
    return ["backup/CameraRollDomain/Media/a.jpg", "backup/Manifest.db"]


def _ufdr(exhibit: Path, _: Path) -> list[str]:
    sha256 = hashlib.sha256(PICTURE).hexdigest()
    report = ufdr_report([("/private/var/a.jpg", "files\\a.jpg", sha256, "Intact")])
    with zipfile.ZipFile(exhibit / "phone.ufdr", "w") as extraction:
        extraction.writestr("report.xml", report)
        extraction.writestr("files/a.jpg", PICTURE)
    return ["phone.ufdr!/private/var/a.jpg", "phone.ufdr!/report.xml"]


def _zip(exhibit: Path, testdata: Path) -> list[str]:
    shutil.copy(testdata / "dfvfs" / "zip" / "mixed_paths.zip", exhibit / "m.zip")
    with zipfile.ZipFile(exhibit / "m.zip") as archive:
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
    return [f"m.zip!/{name.lstrip('/')}" for name in names]


def _tar(exhibit: Path, _: Path) -> list[str]:
    with tarfile.open(exhibit / "photos.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo("DCIM/a.jpg")
        info.size = len(PICTURE)
        archive.addfile(info, io.BytesIO(PICTURE))
    return ["photos.tar.gz!/DCIM/a.jpg"]


def _sevenzip(exhibit: Path, _: Path) -> list[str]:
    import py7zr

    with py7zr.SevenZipFile(exhibit / "old.7z", "w") as archive:
        archive.writestr(PICTURE, "old/a.jpg")
    return ["old.7z!/old/a.jpg"]


def android_backup(files: dict[str, bytes], encryption: str = "none") -> bytes:
    """An ``adb backup`` file as AOSP writes it: header, then a zlib'd tar."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    header = f"ANDROID BACKUP\n5\n1\n{encryption}\n".encode()
    return header + zlib.compress(buffer.getvalue())


def _android_backup(exhibit: Path, _: Path) -> list[str]:
    (exhibit / "phone.ab").write_bytes(
        android_backup({"apps/com.example.gallery/f/a.jpg": PICTURE})
    )
    return ["phone.ab!/apps/com.example.gallery/f/a.jpg"]


SAMPLES: dict[str, Sample] = {
    "android-backup": _android_backup,
    "folder": _folder,
    "disk-image": _disk_image,
    "ios-backup": _ios_backup,
    "ufdr": _ufdr,
    "zip": _zip,
    "tar": _tar,
    "7z": _sevenzip,
}
