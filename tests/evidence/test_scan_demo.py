"""A scan of an exhibit like the demo's: every planted copy found, nothing else."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from kavach.demo.exhibit import DemoSet, build_demo
from tests.helpers.scanning import import_demo_lists, output_rows, read_csv, scan


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSet:
    return build_demo(tmp_path_factory.mktemp("demo"))


def _tree_state(root: Path) -> dict[str, tuple[str, int, int]]:
    state = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            info = path.stat()
            state[str(path)] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                info.st_mtime_ns,
                info.st_size,
            )
    return state


def test_scan_finds_every_planted_copy_and_nothing_else(
    app: Kavach, demo: DemoSet, tmp_path: Path
) -> None:
    import_demo_lists(app, demo)
    before = _tree_state(demo.exhibit)
    out = tmp_path / "out"
    scan(app, demo.exhibit, out, workers=2)
    hits = read_csv(out / "hits.csv")
    found = sorted((h["path"], h["hashset"], h["match_type"]) for h in hits)
    expected = sorted((e.path, e.hashset, e.match_type) for e in demo.expected_hits)
    assert found == expected
    for h in hits:
        if h["match_type"] == "exact":
            assert h["distance"] == "0" and h["algorithm"] in ("md5", "sha1", "sha256")
        else:
            assert h["algorithm"] == "pdq" and 0 <= int(h["distance"]) <= 31
            assert int(h["pdq_quality"]) >= 50
    assert {h["path"] for h in hits if h["variant"] not in ("", "original")} >= {
        "Pictures/rotated.jpg",
        "Pictures/mirror.jpg",
    }
    warnings = read_csv(out / "warnings.csv")
    # One warning a broken file: nothing unreported, nothing said twice.
    assert sorted(w["path"] for w in warnings) == sorted(demo.expected_warnings)
    files = {f["path"]: f for f in read_csv(out / "files.csv")}
    assert {p for p, f in files.items() if f["known"] == "true"} == set(demo.known)
    assert not {h["path"] for h in hits} & set(demo.known)
    assert files["archives/backup.zip!/inner.tar.gz!/photos/other.jpg"]["mime"] == (
        "image/jpeg"
    )
    assert files["broken/not-a-picture.jpg"]["pdq"] == ""
    assert _tree_state(demo.exhibit) == before  # evidence never changes


def test_hits_digests_are_the_files_own(
    app: Kavach, demo: DemoSet, tmp_path: Path
) -> None:
    import_demo_lists(app, demo)
    out = tmp_path / "out"
    scan(app, demo.exhibit, out)
    for row in read_csv(out / "files.csv"):
        if "!/" in row["path"]:
            continue
        data = (demo.exhibit / row["path"]).read_bytes()
        assert row["md5"] == hashlib.md5(data).hexdigest()
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        assert int(row["size"]) == len(data)


def test_report_lists_hits_versions_and_integrity_without_pictures(
    app: Kavach, demo: DemoSet, tmp_path: Path
) -> None:
    import_demo_lists(app, demo)
    out = tmp_path / "out"
    scan_id = scan(app, demo.exhibit, out)
    html = (out / "report.html").read_text()
    run = app.reports.run(scan_id)
    assert run.integrity_sha256 and run.integrity_sha256 in html
    for name, _ in demo.lists:
        assert name in html
    assert "<img" not in html and "data:image" not in html
    assert "file://" not in html and "href=" not in html
    assert "archives/backup.zip!/inner.tar.gz!/photos/p.jpg" in html
    assert "broken/truncated.jpg" in html


def test_parallel_and_serial_scans_agree(
    app: Kavach, demo: DemoSet, tmp_path: Path
) -> None:
    import_demo_lists(app, demo)
    scan(app, demo.exhibit, tmp_path / "one", workers=1)
    scan(app, demo.exhibit, tmp_path / "two", workers=2, batch_files=3)
    for name in ("hits.csv", "files.csv", "warnings.csv"):
        assert output_rows(tmp_path / "one" / name) == output_rows(
            tmp_path / "two" / name
        )


def test_single_archive_as_exhibit(
    sqlite_app: Kavach, demo: DemoSet, tmp_path: Path
) -> None:
    import_demo_lists(sqlite_app, demo)
    archive = demo.exhibit / "archives" / "backup.zip"
    out = tmp_path / "out"
    scan_id = scan(sqlite_app, archive, out)
    paths = {h["path"] for h in read_csv(out / "hits.csv")}
    assert "backup.zip!/inner.tar.gz!/photos/p.jpg" in paths
    run = sqlite_app.reports.run(scan_id)
    assert run.integrity_sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert os.path.exists(archive)


def test_large_files_hash_the_same_with_md5_on_a_helper_thread(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    root = tmp_path / "big"
    root.mkdir()
    data = os.urandom(20 * 1024 * 1024)  # past SPREAD_FROM
    (root / "a.bin").write_bytes(data)
    (root / "b.bin").write_bytes(data[::-1])
    out = tmp_path / "out"
    scan(sqlite_app, root, out, workers=2)
    rows = {r["path"]: r for r in read_csv(out / "files.csv")}
    for name, content in (("a.bin", data), ("b.bin", data[::-1])):
        assert rows[name]["md5"] == hashlib.md5(content).hexdigest()
        assert rows[name]["sha1"] == hashlib.sha1(content).hexdigest()
        assert rows[name]["sha256"] == hashlib.sha256(content).hexdigest()
