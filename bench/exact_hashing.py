"""Benchmark 2: exact hashing (MD5 + SHA-1 + SHA-256) of a ~2 GB tree.

Kavach's whole scan (walk, read once, three digests, type sniffing, batched database
writes on SQLite, two worker processes) against ``hashdeep -r -c md5,sha1,sha256``
(its own threads) on the same tree, from the page cache, in the same run. A bare
two-process hashlib loop is printed as the ceiling.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import WORK, header, median_of, row

from kavach.bootstrap import build
from kavach.evidence.scan_settings import ScanSettings
from kavach.settings import Settings

TARGET_BYTES = int(float(os.environ.get("BENCH_HASH_GB", "2.0")) * 1024**3)


def make_tree(root: Path) -> tuple[int, int]:
    """Files of mixed sizes: many small, some medium, a few large (reused if there)."""
    marker = root / ".complete"
    if marker.exists() and marker.read_text() == str(TARGET_BYTES):
        files = [p for p in root.rglob("*") if p.is_file() and p != marker]
        return len(files), sum(p.stat().st_size for p in files)
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(1)
    total = count = 0
    while total < TARGET_BYTES:
        kind = rng.random()
        size = (
            rng.randint(4_000, 200_000)
            if kind < 0.80
            else rng.randint(1_000_000, 12_000_000)
            if kind < 0.98
            else rng.randint(100_000_000, 300_000_000)
        )
        folder = root / f"d{count % 40:02d}" / f"s{count % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{count:06d}.bin").write_bytes(os.urandom(size))
        total += size
        count += 1
    marker.write_text(str(TARGET_BYTES))
    return count, total


def warm(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                while handle.read(1 << 22):
                    pass


def hashdeep(root: Path) -> None:
    subprocess.run(
        ["hashdeep", "-r", "-c", "md5,sha1,sha256", str(root)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def kavach(root: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = build(
            Settings(
                database_url=f"sqlite:///{folder}/k.db", data_dir=Path(folder) / "data"
            )
        )
        scan_id = app.services.scans.start(root, "bench", settings=ScanSettings())
        app.services.scans.run([scan_id], workers=2, batch_files=512)
        app.close()


def _bare_one(paths: list[str]) -> None:
    for path in paths:
        digests = (hashlib.md5(), hashlib.sha1(), hashlib.sha256())
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                for digest in digests:
                    digest.update(chunk)


def bare(root: Path) -> None:
    paths = sorted(str(p) for p in root.rglob("*.bin"))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_bare_one, [paths[0::2], paths[1::2]])


def main() -> int:
    header("Exact hashing: Kavach scan vs hashdeep, same tree, page cache")
    if shutil.which("hashdeep") is None:
        print("hashdeep is not installed (Debian package 'hashdeep')")
        return 1
    root = WORK / "hashtree"
    count, total = make_tree(root)
    warm(root)
    row("tree", f"{count:,} files, {total / 1e9:.2f} GB")
    results = {}
    for name, work in (
        ("hashdeep -r -c md5,sha1,sha256", hashdeep),
        ("Kavach scan (2 workers, SQLite)", kavach),
        ("bare 2-process hashlib loop", bare),
    ):
        seconds, _ = median_of(3, lambda work=work: work(root))
        results[name] = seconds
        row(name, f"{seconds:6.2f} s  {total / seconds / 1e9:5.2f} GB/s")
    ratio = (
        results["hashdeep -r -c md5,sha1,sha256"]
        / results["Kavach scan (2 workers, SQLite)"]
    )
    ceiling = (
        results["hashdeep -r -c md5,sha1,sha256"]
        / results["bare 2-process hashlib loop"]
    )
    row("Kavach vs hashdeep", f"{ratio:.2f}x (ceiling {ceiling:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
