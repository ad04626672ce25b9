"""Benchmark 7: many small files (what phones hold), SQLite and PostgreSQL.

20,000 files of 4 KiB in 40 folders (``BENCH_SMALL_FILES``). In the same run:
``hashdeep -r -c md5,sha1,sha256``, Kavach's scan into SQLite, and (with
``KAVACH_TEST_POSTGRES_URL``) the same scan into PostgreSQL. Kavach's figures are
the scan alone (start + run, 2 workers), median of 3, with its stage times; the
fixed cost of a scan of one tiny file is printed beside them, as the issue counts
per-file cost without it. Then the issue's mixed tree (1.1 GB: 2,000 x 4 KB,
1,500 x 200 KB, 60 x 5 MB, 4 x 100 MB), hashdeep beside Kavach.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import WORK, fresh_postgres, hashdeep_seconds, header, median_of, row

from kavach.bootstrap import build
from kavach.evidence.scan import ScanStats
from kavach.evidence.scan_settings import ScanSettings
from kavach.settings import Settings

FILES = int(os.environ.get("BENCH_SMALL_FILES", "20000"))


def make_tree(root: Path) -> None:
    marker = root / ".complete"
    if marker.exists() and marker.read_text() == str(FILES):
        return
    shutil.rmtree(root, ignore_errors=True)
    for index in range(FILES):
        folder = root / f"d{index % 40:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{index:06d}.bin").write_bytes(os.urandom(4096))
    marker.write_text(str(FILES))


# The mixed tree (1.1 GB): what a phone holds besides its caches.
MIXED = ((2000, 4096), (1500, 200_000), (60, 5_000_000), (4, 100_000_000))


def make_mixed(root: Path) -> None:
    marker = root / ".complete"
    if marker.exists():
        return
    shutil.rmtree(root, ignore_errors=True)
    for kind, (count, size) in enumerate(MIXED):
        folder = root / f"k{kind}"
        folder.mkdir(parents=True)
        for index in range(count):
            (folder / f"f{index:05d}.bin").write_bytes(os.urandom(size))
    marker.write_text("done")


def kavach(root: Path, url: str | None, stats: ScanStats) -> float:
    """Seconds of one scan of ``root`` (start + run) into ``url`` (None: SQLite)."""
    with tempfile.TemporaryDirectory() as folder:
        database = url or f"sqlite:///{folder}/k.db"
        app = build(Settings(database_url=database, data_dir=Path(folder) / "data"))
        scans = app.services.scans
        start = time.perf_counter()
        scan_id = scans.start(root, "bench", settings=ScanSettings(), allow_empty=True)
        scans.run([scan_id], workers=2, batch_files=512, stats=stats)
        seconds = time.perf_counter() - start
        app.close()
    return seconds


def main() -> int:
    header(f"Small files: {FILES:,} x 4 KiB, hashdeep, SQLite, PostgreSQL")
    root = WORK / "small"
    make_tree(root)
    tiny = WORK / "tiny"
    tiny.mkdir(parents=True, exist_ok=True)
    (tiny / "one.bin").write_bytes(b"x")
    results: dict[str, float] = {}
    deep = hashdeep_seconds(root)
    if deep is not None:
        results["hashdeep"] = deep
        row("hashdeep -r -c md5,sha1,sha256", f"{deep:.2f} s")
    targets: list[tuple[str, str | None]] = [("SQLite", None)]
    postgres = os.environ.get("KAVACH_TEST_POSTGRES_URL")
    if postgres:
        targets.append(("PostgreSQL", postgres))
    for name, admin in targets:
        url = fresh_postgres(admin, "kavach_bench_small") if admin else None
        fixed, _ = median_of(3, lambda url=url: kavach(tiny, url, ScanStats()))
        runs = []
        for _ in range(3):
            stats = ScanStats()
            runs.append((kavach(root, url, stats), stats))
            if admin:
                url = fresh_postgres(admin, "kavach_bench_small")
        runs.sort(key=lambda pair: pair[0])
        seconds, stats = runs[1]
        results[name] = seconds
        per_file = (seconds - fixed) / FILES * 1000
        row(
            f"Kavach scan, {name}",
            f"{seconds:.2f} s (fixed {fixed:.2f} s; {per_file:.3f} ms a file)",
        )
        row(
            "  walk / examine (summed) / match / write",
            f"{stats.walk_seconds:.2f} / {stats.examine_seconds:.2f} / "
            f"{stats.match_seconds:.2f} / {stats.write_seconds:.2f} s",
        )
    if "hashdeep" in results:
        row(
            "Kavach SQLite vs hashdeep",
            f"{results['hashdeep'] / results['SQLite']:.2f}x",
        )
    if "PostgreSQL" in results:
        ratio = results["PostgreSQL"] / results["SQLite"]
        row("PostgreSQL / SQLite", f"{ratio:.2f}x")
    mixed_tree()
    return 0


def mixed_tree() -> None:
    mixed = WORK / "mixed"
    make_mixed(mixed)
    total = sum(count * size for count, size in MIXED)
    header(f"Mixed tree: {sum(c for c, _ in MIXED):,} files, {total / 1e9:.2f} GB")
    deep = hashdeep_seconds(mixed)
    if deep is not None:
        row("hashdeep -r -c md5,sha1,sha256", f"{deep:.2f} s")
    ours, _ = median_of(3, lambda: kavach(mixed, None, ScanStats()))
    row("Kavach scan, SQLite", f"{ours:.2f} s")
    if deep is not None:
        row("Kavach vs hashdeep", f"{deep / ours:.2f}x (target 2x)")


if __name__ == "__main__":
    sys.exit(main())
