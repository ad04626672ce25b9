"""Archives nested in archives, hostile member names, bombs, odd file names, links."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import listed
from kavach.demo.lists import write_vics
from kavach.evidence.limits import Limits
from tests.helpers.scanning import import_demo_lists, read_csv, scan

PICTURE = encode(draw_picture(7))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _tar(members: dict[str, bytes], mode: str = "w") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:  # type: ignore[call-overload]
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _listed_app(app: Kavach, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    write_vics(path, [listed(PICTURE)])
    from kavach.demo.exhibit import DemoSet

    import_demo_lists(app, DemoSet(exhibit=tmp_path, lists=[("partner", path)]))


def test_nested_archive_paths_and_hostile_names(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    _listed_app(sqlite_app, tmp_path)
    root = tmp_path / "exhibit"
    root.mkdir()
    inner = _zip({"c.jpg": PICTURE})
    (root / "a.zip").write_bytes(
        _zip({"b.zip": inner, "../../escape.jpg": PICTURE, "/abs/dir/x.jpg": PICTURE})
    )
    (root / "x.tar.gz").write_bytes(_tar({"dir/file.jpg": PICTURE}, "w:gz"))
    (root / "y.tar").write_bytes(_tar({"./d/p.jpg": PICTURE}))
    (root / "photo.jpg.gz").write_bytes(gzip.compress(PICTURE))
    out = tmp_path / "out"
    scan(sqlite_app, root, out)
    hits = {h["path"] for h in read_csv(out / "hits.csv")}
    assert hits == {
        "a.zip!/b.zip!/c.jpg",
        "a.zip!/escape.jpg",
        "a.zip!/abs/dir/x.jpg",
        "x.tar.gz!/dir/file.jpg",
        "y.tar!/d/p.jpg",
        "photo.jpg.gz!/photo.jpg",
    }


def test_nesting_limit_and_bomb_are_warnings(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    root = tmp_path / "exhibit"
    root.mkdir()
    nested = PICTURE
    for level in range(4):
        nested = _zip({f"level{level}.zip" if level else "p.jpg": nested})
    (root / "deep.zip").write_bytes(nested)
    (root / "bomb.zip").write_bytes(
        _zip({"zeros.bin": b"\0" * (8 * 1024**2), "after.txt": b"never read"})
    )
    (root / "ok.txt").write_text("ordinary\n")
    limits = Limits(max_depth=2, max_ratio=50.0, ratio_floor_bytes=1024**2)
    out = tmp_path / "out"
    scan(sqlite_app, root, out, limits=limits)
    warnings = {
        (w["path"], w["stage"]): w["reason"] for w in read_csv(out / "warnings.csv")
    }
    assert (
        "nesting limit 2" in warnings[("deep.zip!/level3.zip!/level2.zip", "archive")]
    )
    assert "decompression bomb" in warnings[("bomb.zip!/zeros.bin", "archive")]
    paths = {f["path"] for f in read_csv(out / "files.csv")}
    # The bomb member is skipped; the next one is named where the whole archive's
    # budget stops the reading (the skipped member's bytes were expanded too).
    assert "ok.txt" in paths and "bomb.zip!/after.txt" not in paths
    stopped = warnings[("bomb.zip!/after.txt", "archive")]
    assert "its archive's size" in stopped and "rest of the archive" in stopped


def test_member_size_limit_skips_one_member_and_goes_on(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    root = tmp_path / "exhibit"
    root.mkdir()
    members = {"a.txt": b"first", "big.bin": os.urandom(3 * 1024**2), "c.jpg": PICTURE}
    (root / "phone.zip").write_bytes(_zip(members))
    out = tmp_path / "out"
    scan(sqlite_app, root, out, limits=Limits(max_member_bytes=1024**2))
    warnings = {w["path"]: w["reason"] for w in read_csv(out / "warnings.csv")}
    assert "member skipped" in warnings["phone.zip!/big.bin"]
    assert "KAVACH_ARCHIVE_MAX_MEMBER_BYTES" in warnings["phone.zip!/big.bin"]
    paths = {f["path"] for f in read_csv(out / "files.csv")}
    assert {"phone.zip!/a.txt", "phone.zip!/c.jpg"} <= paths
    assert "phone.zip!/big.bin" not in paths


def test_non_utf8_names_symlinks_and_damaged_archives(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    _listed_app(sqlite_app, tmp_path)
    root = tmp_path / "exhibit"
    root.mkdir()
    odd = os.path.join(os.fsencode(root), b"caf\xe9.jpg")
    with open(odd, "wb") as handle:
        handle.write(PICTURE)
    os.symlink("loop", root / "loop")
    os.symlink("caf\udce9.jpg", root / "link.jpg")
    (root / "fake.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\x01" * 100)
    (root / "cut.tar.gz").write_bytes(_tar({"a.txt": b"x" * 5000}, "w:gz")[:60])
    out = tmp_path / "out"
    scan(sqlite_app, root, out)
    hits = read_csv(out / "hits.csv")
    assert [h["path"] for h in hits] == ["caf\\xe9.jpg"]
    warnings = {
        (w["path"], w["stage"]): w["reason"] for w in read_csv(out / "warnings.csv")
    }
    assert "not UTF-8" in warnings[("caf\\xe9.jpg", "name")]
    assert "symlink loop" in warnings[("loop", "walk")]
    assert "not followed" in warnings[("link.jpg", "walk")]
    assert ("fake.7z", "archive") in warnings
    assert any(path.startswith("cut.tar.gz") for path, _ in warnings)
    with sqlite_app.engine.connect() as connection:
        raw = connection.exec_driver_sql(
            "SELECT path_bytes FROM file_record WHERE path = 'caf\\xe9.jpg'"
        ).scalar()
    assert raw is not None and bytes(raw) == b"caf\xe9.jpg"


def test_seven_zip_declaring_too_much_is_not_expanded(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    import py7zr

    root = tmp_path / "exhibit"
    root.mkdir()
    with py7zr.SevenZipFile(root / "big.7z", "w") as archive:
        archive.writestr(b"\0" * (4 * 1024**2), "zeros.bin")
    out = tmp_path / "out"
    limits = Limits(max_ratio=10.0, ratio_floor_bytes=1024**2)
    scan(sqlite_app, root, out, limits=limits)
    warnings = read_csv(out / "warnings.csv")
    assert [(w["path"], w["stage"]) for w in warnings] == [("big.7z", "archive")]
    assert "decompression bomb" in warnings[0]["reason"]
