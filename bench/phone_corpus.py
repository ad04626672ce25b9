"""Benchmark 9: a phone-shaped exhibit, with hashdeep and the reference PDQ beside.

The corpus is made here, at bench time, from drawn benign pictures and random bytes
(``BENCH_PHONE_SCALE`` scales every count; 1 is about 13,000 files, 0.3 GB):

- app caches: thousands of 1-16 KiB files in deep folders
- thumbnails: 160x120 to 320x240 JPEGs
- messaging pictures: 0.5-2 MP JPEGs recompressed at quality 75 (WhatsApp-like)
- screenshots (PNG) and stickers (WebP)
- a few short videos (ffmpeg's test pattern, when ffmpeg is installed)
- SQLite databases with message-like rows

In the same run: ``hashdeep -r -c md5,sha1,sha256`` over the tree; the reference PDQ
pipeline (Pillow full decode, RGB, ``pdqhash.compute``) over every picture, one
core; Kavach's per-picture PDQ path (``PdqMatcher.examine``) over the same pictures,
one core, by kind, with the decisions it changes (must be 0); and Kavach's whole
scan (2 workers) into SQLite and, with ``KAVACH_TEST_POSTGRES_URL``, PostgreSQL,
against a VICS list and a PDQ list holding planted copies.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    WORK,
    fresh_postgres,
    hashdeep_seconds,
    header,
    median_of,
    photo_jpeg,
    row,
)
from pdq_speed import build_list, drift, reference

from kavach.bootstrap import build
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import listed
from kavach.demo.lists import write_pdq_list, write_vics
from kavach.evidence.scan import ScanStats
from kavach.evidence.scan_settings import ScanSettings
from kavach.hashsets.importer import ImportOptions
from kavach.matching.pdq_matcher import PdqMatcher, PdqPolicy
from kavach.settings import Settings

SCALE = float(os.environ.get("BENCH_PHONE_SCALE", "1"))
VERSION = "2"  # bump when the corpus changes, so a cached one is rebuilt
PLANTED = 12  # messaging pictures also on the lists (exact and PDQ)


def _count(n: int) -> int:
    return max(1, round(n * SCALE))


def _caches(root: Path, rng: random.Random) -> None:
    for n in range(_count(8000)):
        app = ("com.whatsapp", "org.telegram.messenger", "com.android.chrome")[n % 3]
        folder = root / "Android/data" / app / "cache" / f"{n % 97:02x}" / f"{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n:08x}.0").write_bytes(os.urandom(rng.randint(1024, 16384)))


def _thumbnails(root: Path, rng: random.Random) -> None:
    folder = root / "DCIM/.thumbnails"
    folder.mkdir(parents=True)
    for n in range(_count(3000)):
        size = rng.choice(((160, 120), (240, 180), (320, 240)))
        data = encode(draw_picture(10_000 + n, size), "JPEG", 80)
        (folder / f"{1_600_000_000 + n}.jpg").write_bytes(data)


def messaging_picture(n: int) -> bytes:
    """A 0.5-2 MP 'photo' recompressed at quality 75, as messaging apps send."""
    size = ((800, 600), (1280, 960), (1600, 1200))[n % 3]
    return photo_jpeg(20_000 + n, size, quality=75)


def _messaging(root: Path) -> None:
    folder = root / "WhatsApp/Media/WhatsApp Images"
    folder.mkdir(parents=True)
    for n in range(_count(600)):
        (folder / f"IMG-20240501-WA{n:04d}.jpg").write_bytes(messaging_picture(n))


def _screens_and_stickers(root: Path) -> None:
    screens = root / "Pictures/Screenshots"
    stickers = root / "WhatsApp/Media/WhatsApp Stickers"
    screens.mkdir(parents=True)
    stickers.mkdir(parents=True)
    for n in range(_count(100)):
        picture = draw_picture(30_000 + n, (1080, 2400))  # FHD+
        (screens / f"Screenshot_{n:04d}.png").write_bytes(encode(picture, "PNG"))
    for n in range(_count(300)):
        picture = draw_picture(40_000 + n, (512, 512))
        (stickers / f"{n:04d}.webp").write_bytes(encode(picture, "WEBP", 80))


def _videos(root: Path) -> None:
    if shutil.which("ffmpeg") is None:
        return
    folder = root / "WhatsApp/Media/WhatsApp Video"
    folder.mkdir(parents=True)
    for n in range(_count(4)):
        pattern = f"testsrc=size=640x360:rate=25,hue=h={n * 40}"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", pattern, "-t", "6",
             "-c:v", "mpeg4", "-q:v", "5", str(folder / f"VID-{n:04d}.mp4")],
            check=True,
            timeout=120,
        )  # fmt: skip


def _databases(root: Path, rng: random.Random) -> None:
    folder = root / "Android/data/com.whatsapp/databases"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(_count(20)):
        with sqlite3.connect(folder / f"msgstore-{n}.db") as db:
            db.execute("CREATE TABLE message (id INTEGER PRIMARY KEY, chat, body, ts)")
            db.executemany(
                "INSERT INTO message (chat, body, ts) VALUES (?, ?, ?)",
                [
                    (rng.randint(1, 50), os.urandom(rng.randint(20, 200)).hex(), k)
                    for k in range(rng.randint(500, 8000))
                ],
            )
        db.close()


def make_corpus(root: Path) -> None:
    marker = root / ".complete"
    stamp = f"{VERSION}:{SCALE}"
    if marker.exists() and marker.read_text() == stamp:
        return
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    rng = random.Random(11)
    _caches(root, rng)
    _thumbnails(root, rng)
    _messaging(root)
    _screens_and_stickers(root)
    _videos(root)
    _databases(root, rng)
    marker.write_text(stamp)


def pictures_by_kind(root: Path) -> dict[str, list[bytes]]:
    kinds = {
        "thumbnail JPEG": root / "DCIM/.thumbnails",
        "0.5-2 MP JPEG, q75": root / "WhatsApp/Media/WhatsApp Images",
        "screenshot PNG": root / "Pictures/Screenshots",
        "sticker WebP": root / "WhatsApp/Media/WhatsApp Stickers",
    }
    return {
        kind: [p.read_bytes() for p in sorted(folder.iterdir())]
        for kind, folder in kinds.items()
    }


def per_core_pdq(kinds: dict[str, list[bytes]], planted: list[bytes]) -> bool:
    """Reference vs Kavach per picture, one core; False if a decision differs."""
    same = True
    with tempfile.TemporaryDirectory() as folder:
        index = build_list(Path(folder), planted, 1)
        fast = PdqMatcher([index], PdqPolicy())
        slow = PdqMatcher([index], PdqPolicy(fast=False))
        for kind, pictures in kinds.items():
            sample = pictures[: max(20, len(pictures) // 5)]
            ref, _ = median_of(3, lambda s=sample: [reference(p) for p in s])
            ours, _ = median_of(
                3, lambda s=sample: [fast.examine(lambda p=p: io.BytesIO(p)) for p in s]
            )
            differ = sum(
                _decided(fast, p) != _decided(slow, p) for p in sample + planted[:4]
            )
            # Reduced (fast) against full-size hashes, over the 8 variants: the
            # search margin must stay above the largest.
            drifts = [d for p in sample for d in drift(p, PdqPolicy())] or [0]
            same &= differ == 0 and max(drifts) < PdqPolicy().margin
            row(
                f"  {kind} ({len(sample)})",
                f"reference {ref / len(sample) * 1000:.1f} ms, Kavach "
                f"{ours / len(sample) * 1000:.1f} ms: {ref / ours:.1f}x; "
                f"{differ} decisions changed; drift max {max(drifts)} bits",
            )
    return same


def _decided(matcher: PdqMatcher, data: bytes) -> set[tuple[int, int]]:
    return {
        (m.seq, m.distance) for m in matcher.examine(lambda: io.BytesIO(data)).matches
    }


def kavach_scan(
    root: Path, planted: list[bytes], url: str | None
) -> tuple[float, ScanStats, dict[str, int]]:
    """Seconds of one scan (start + run, 2 workers) into ``url`` (None: SQLite)."""
    with tempfile.TemporaryDirectory() as folder:
        app = build(
            Settings(
                database_url=url or f"sqlite:///{folder}/k.db",
                data_dir=Path(folder) / "data",
            )
        )
        write_vics(
            Path(folder) / "list.json", [listed(p) for p in planted[: PLANTED // 2]]
        )
        write_pdq_list(
            Path(folder) / "pdq.txt", [listed(p) for p in planted[PLANTED // 2 :]]
        )
        for name in ("list.json", "pdq.txt"):
            app.services.hashsets.import_list(
                Path(folder) / name, ImportOptions(), "bench"
            )
        stats = ScanStats()
        start = time.perf_counter()
        scan_id = app.services.scans.start(root, "bench", settings=ScanSettings())
        app.services.scans.run([scan_id], workers=2, batch_files=512, stats=stats)
        seconds = time.perf_counter() - start
        counts = app.reports.counts(scan_id)
        app.close()
    return seconds, stats, counts


def _median_scan(
    runs: int, scan: Callable[[], tuple[float, ScanStats, dict[str, int]]]
) -> tuple[float, ScanStats, dict[str, int]]:
    done = sorted((scan() for _ in range(runs)), key=lambda r: r[0])
    return done[len(done) // 2]


def main() -> int:
    root = WORK / "phone"
    make_corpus(root)
    files = [p for p in root.rglob("*") if p.is_file() and p.name != ".complete"]
    size = sum(p.stat().st_size for p in files)
    header(f"A phone-shaped exhibit: {len(files):,} files, {size / 1e9:.2f} GB")
    kinds = pictures_by_kind(root)
    planted = [messaging_picture(n) for n in range(PLANTED)]
    results: dict[str, float] = {}
    deep = hashdeep_seconds(root)
    if deep is not None:
        results["hashdeep"] = deep
        row("hashdeep -r -c md5,sha1,sha256", f"{deep:.2f} s")
    pictures = [p for group in kinds.values() for p in group]
    ref_all, _ = median_of(1, lambda: [reference(p) for p in pictures])
    row(
        f"reference PDQ over the {len(pictures):,} pictures (1 core)",
        f"{ref_all:.2f} s (hashdeep + this is what the reference tools need)",
    )
    targets: list[tuple[str, str | None]] = [("SQLite", None)]
    if os.environ.get("KAVACH_TEST_POSTGRES_URL"):
        targets.append(("PostgreSQL", os.environ["KAVACH_TEST_POSTGRES_URL"]))
    hit_ok = True
    for name, admin in targets:
        seconds, stats, counts = _median_scan(
            3,
            lambda admin=admin: kavach_scan(
                root,
                planted,
                fresh_postgres(admin, "kavach_bench_phone") if admin else None,
            ),
        )
        results[name] = seconds
        row(
            f"Kavach scan, {name} (2 workers, MD5+SHA-1+SHA-256+PDQ)",
            f"{seconds:.2f} s; {counts['files']:,} files, {counts['files_hit']} hit",
        )
        row(
            "  walk / examine (summed) / match / write",
            f"{stats.walk_seconds:.2f} / {stats.examine_seconds:.2f} / "
            f"{stats.match_seconds:.2f} / {stats.write_seconds:.2f} s",
        )
        hit_ok &= counts["files_hit"] >= PLANTED
    if "hashdeep" in results:
        row(
            "Kavach SQLite vs hashdeep alone",
            f"{results['hashdeep'] / results['SQLite']:.2f}x",
        )
        row(
            "Kavach SQLite vs hashdeep + reference PDQ on 2 cores",
            f"{(results['hashdeep'] + ref_all / 2) / results['SQLite']:.2f}x",
        )
    if "PostgreSQL" in results:
        row("PostgreSQL / SQLite", f"{results['PostgreSQL'] / results['SQLite']:.2f}x")
    header("PDQ per picture by kind, one core: reference vs Kavach")
    same = per_core_pdq(kinds, planted)
    return 0 if same and hit_ok else 1


if __name__ == "__main__":
    sys.exit(main())
