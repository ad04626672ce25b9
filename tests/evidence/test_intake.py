"""Intake verification of forensic images, loud on failure; dfVFS's real images."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import select

from kavach.bootstrap import build
from kavach.settings import Settings
from kavach.storage.tables import image_verification
from tests.helpers.cli import Env, run_kavach
from tests.helpers.scanning import read_csv

STORED_MD5 = "196066add11fb71c4c49cf1bb50d6d24"


def _checks(env: Env) -> list[tuple[str, str, bool]]:
    app = build(Settings(database_url=env.database_url, data_dir=env.data_dir))
    with app.engine.connect() as connection:
        rows = connection.execute(select(image_verification)).all()
    app.close()
    return [(r.stage, r.algorithm, bool(r.ok)) for r in rows]


def test_e01_intake_reads_header_and_verifies_stored_md5(
    sqlite_env: Env, testdata: Path
) -> None:
    result = run_kavach(
        sqlite_env,
        "exhibit",
        "add",
        testdata / "dfvfs" / "ext2.E01",
        "--case",
        "FIR 3/2026",
    )
    text = result.stdout
    for value in ("case_number", "case", "examiner", "evidence", STORED_MD5, "ok"):
        assert value in text
    split = run_kavach(
        sqlite_env, "exhibit", "add", testdata / "dfvfs" / "ext2.split.E01"
    )
    assert (
        "ext2.split.E01, ext2.split.E02" in split.stdout and STORED_MD5 in split.stdout
    )
    assert _checks(sqlite_env) == [("intake", "md5", True), ("intake", "md5", True)]


def test_tampered_e01_fails_loudly_and_is_recorded(
    sqlite_env: Env, tmp_path: Path
) -> None:
    raw = tmp_path / "raw.dd"
    raw.write_bytes(os.urandom(2 * 1024 * 1024))
    subprocess.run(
        [
            "ewfacquire",
            "-u",
            "-q",
            "-t",
            str(tmp_path / "plain"),
            "-f",
            "encase6",
            "-c",
            "none",
            str(raw),
        ],
        check=True,
        capture_output=True,
    )
    e01 = bytearray((tmp_path / "plain.E01").read_bytes())
    position = e01.find(raw.read_bytes()[100_000:100_064])
    e01[position + 10] ^= 0xFF  # one byte of the acquired data changed
    tampered = tmp_path / "tampered.E01"
    tampered.write_bytes(bytes(e01))
    result = run_kavach(sqlite_env, "exhibit", "add", tampered, check=False)
    assert result.returncode == 6
    assert "INTEGRITY CHECK FAILED" in result.stderr and "MISMATCH" in result.stdout
    assert _checks(sqlite_env) == [("intake", "md5", False)]


def test_raw_image_is_checked_again_after_every_scan(
    sqlite_env: Env, tmp_path: Path
) -> None:
    folder = tmp_path / "exhibit"
    folder.mkdir()
    image = folder / "usb.dd"
    image.write_bytes(os.urandom(1024 * 1024))
    added = run_kavach(sqlite_env, "exhibit", "add", image, "--label", "USB-1")
    assert "SHA-256 recorded" in added.stdout
    run_kavach(sqlite_env, "scan", folder, "--allow-empty", "--out", tmp_path / "first")
    assert "Image integrity" in (tmp_path / "first" / "report.html").read_text()
    with image.open("r+b") as handle:  # the image changes between scans
        handle.seek(500_000)
        handle.write(b"\x00\x01\x02")
    second = run_kavach(
        sqlite_env,
        "scan",
        folder,
        "--allow-empty",
        "--out",
        tmp_path / "second",
        check=False,
    )
    assert second.returncode == 6 and "INTEGRITY CHECK FAILED" in second.stderr
    report = (tmp_path / "second" / "report.html").read_text()
    assert "INTEGRITY CHECK FAILED" in report and "MISMATCH" in report
    assert (tmp_path / "second" / "files.csv").exists()  # the scan still completed
    assert _checks(sqlite_env) == [
        ("after-scan", "sha256", True),
        ("after-scan", "sha256", False),
    ]


def test_dfvfs_images_and_archives(
    sqlite_env: Env, testdata: Path, tmp_path: Path
) -> None:
    folder = testdata / "dfvfs"
    run_kavach(sqlite_env, "scan", folder, "--allow-empty", "--out", tmp_path / "out")
    files = {f["path"] for f in read_csv(tmp_path / "out" / "files.csv")}
    for expected in (
        "ext2.E01#p1:/a_directory/a_file",
        "ext2.E01#p1:/a_directory/another_file",
        "ext2.E01#p1:/passwords.txt",
        "ext2.split.E01#p1:/passwords.txt",
        "hfsplus.raw#p1:/a_directory/a_file",
    ):
        assert expected in files
    assert any(
        p.startswith("iso9660.raw#p1:/") and "PASSWORDS" in p.upper() for p in files
    )
    assert not any(p.startswith("ext2.split.E02#") for p in files)
    members = [p for p in files if p.startswith(("zip/", "tar/")) and "!/" in p]
    assert members and not any("!//" in p or "/../" in p for p in members)
