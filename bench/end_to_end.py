"""Benchmark 4: a scan of a generated 50,000-file exhibit on this machine's cores.

About 20 % pictures of mixed sizes (thumbnails to 12 MP), zip archives, and ordinary
files; one exact list and one PDQ list with planted copies. Prints files/s, MB/s,
the time per stage, CPU use (>= 180 % on 2 cores means both are busy) and peak memory.
"""

from __future__ import annotations

import io
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import WORK, header, photo_jpeg, row

from kavach.bootstrap import build
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import listed
from kavach.demo.lists import write_pdq_list, write_vics
from kavach.evidence.scan import ScanStats
from kavach.evidence.scan_settings import ScanSettings
from kavach.hashsets.importer import ImportOptions
from kavach.settings import Settings

FILES = int(os.environ.get("BENCH_E2E_FILES", "50000"))


def picture(rng: random.Random, seed: int) -> bytes:
    roll = rng.random()
    if roll < 0.002:
        return photo_jpeg(seed, (4000, 3000))
    if roll < 0.05:
        return photo_jpeg(seed, (1280, 960))
    size = (640, 480) if roll < 0.5 else (320, 240)
    return encode(draw_picture(seed, size), "JPEG" if roll < 0.9 else "PNG")


def make_exhibit(root: Path) -> list[bytes]:
    """The exhibit (reused when already built); returns the pictures to list."""
    marker = root / ".complete"
    rng = random.Random(7)
    listed_pictures = [encode(draw_picture(900_000 + i)) for i in range(20)]
    if marker.exists() and marker.read_text() == str(FILES):
        return listed_pictures
    count = 0
    while count < FILES:
        folder = root / f"dir{count // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        if roll < 0.20:
            data = picture(rng, count)
            name = f"IMG_{count:06d}.jpg"
        elif roll < 0.21:
            members = {
                f"m{i}.txt": os.urandom(rng.randint(100, 20_000)) for i in range(9)
            }
            members["p.jpg"] = encode(draw_picture(count, (320, 240)))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for member, content in members.items():
                    archive.writestr(member, content)
            data, name = buffer.getvalue(), f"archive_{count:06d}.zip"
            count += len(members)
        else:
            data = os.urandom(rng.choice((300, 4_000, 40_000, 400_000)))
            name = f"file_{count:06d}.bin"
        (folder / name).write_bytes(data)
        count += 1
    for index, content in enumerate(listed_pictures):
        (root / "dir000" / f"copy_{index}.jpg").write_bytes(content)
    marker.write_text(str(FILES))
    return listed_pictures


def main() -> int:
    header(f"End to end: a {FILES:,}-file exhibit")
    root = WORK / "e2e"
    pictures = make_exhibit(root)
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    with tempfile.TemporaryDirectory() as folder:
        app = build(
            Settings(
                database_url=f"sqlite:///{folder}/k.db", data_dir=Path(folder) / "data"
            )
        )
        write_vics(Path(folder) / "list.json", [listed(p) for p in pictures[:10]])
        write_pdq_list(Path(folder) / "pdq.txt", [listed(p) for p in pictures[10:]])
        for name in ("list.json", "pdq.txt"):
            app.services.hashsets.import_list(
                Path(folder) / name, ImportOptions(), "bench"
            )
        scan_id = app.services.scans.start(root, "bench", settings=ScanSettings())
        stats = ScanStats()
        before_self = resource.getrusage(resource.RUSAGE_SELF)
        before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        app.services.scans.run([scan_id], workers=2, batch_files=512, stats=stats)
        wall = time.perf_counter() - wall
        after_self = resource.getrusage(resource.RUSAGE_SELF)
        after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        counts = app.reports.counts(scan_id)
        app.close()
    cpu = sum(
        getattr(after, f) - getattr(before, f)
        for after, before in (
            (after_self, before_self),
            (after_children, before_children),
        )
        for f in ("ru_utime", "ru_stime")
    )
    row(
        "exhibit",
        f"{counts['files']:,} files (with archive members), "
        f"{size / 1e9:.2f} GB on disk",
    )
    row(
        "wall time",
        f"{wall:.1f} s: {counts['files'] / wall:,.0f} files/s, "
        f"{size / wall / 1e6:.0f} MB/s",
    )
    row("CPU use", f"{cpu / wall * 100:.0f} % (2 cores = 200 %)")
    row(
        "stages: walk / examine (summed) / match / write",
        f"{stats.walk_seconds:.1f} / {stats.examine_seconds:.1f} / "
        f"{stats.match_seconds:.1f} / {stats.write_seconds:.1f} s",
    )
    row(
        "peak memory: main process / largest worker",
        f"{after_self.ru_maxrss / 1024:.0f} / {after_children.ru_maxrss / 1024:.0f} MB",
    )
    row("hits", f"{counts['hits']} (20 planted copies)")
    return 0 if counts["files_hit"] >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
