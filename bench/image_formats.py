"""Benchmark 6: listing and hashing one disk stored as raw, QCOW2, VMDK and raw.gz.

A 1 GiB disk (MBR, one ext4 partition holding ~800 MB of files, built with
``mkfs.ext4 -d``), converted with qemu-img. Each is scanned (list, read every file,
hash, carve free space) through the same service; the figures are the median of
``BENCH_IMAGE_RUNS`` scans and each container's ratio to raw in the same run.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from common import WORK, header, row

from kavach.bootstrap import build
from kavach.evidence.scan_settings import ScanSettings
from kavach.settings import Settings

SIZE_MB = int(os.environ.get("BENCH_IMAGE_MB", "1024"))
RUNS = int(os.environ.get("BENCH_IMAGE_RUNS", "3"))


def _run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, capture_output=True)


def make_disk(folder: Path) -> Path:
    """The raw disk (kept between runs of the benchmark)."""
    disk = folder / "disk.raw"
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == str(SIZE_MB):
        return disk
    staging = folder / "files"
    shutil.rmtree(staging, ignore_errors=True)
    budget = SIZE_MB * 1024 * 1024 * 3 // 4
    sizes = [4_096, 65_536, 1 << 20, 16 << 20]
    written = index = 0
    while written < budget:
        size = sizes[index % len(sizes)]
        target = staging / f"d{index % 20:02d}" / f"f{index:06d}.bin"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(os.urandom(size))
        written += size
        index += 1
    volume = folder / "volume.ext4"
    volume.unlink(missing_ok=True)
    _run("mkfs.ext4", "-q", "-F", "-d", staging, volume, f"{SIZE_MB - 2}M")
    with disk.open("wb") as handle:
        handle.truncate(SIZE_MB * 1024 * 1024)
    subprocess.run(
        ["sfdisk", "-q", str(disk)],
        input=b"label: dos\nstart=2048, type=83\n",
        check=True,
        capture_output=True,
    )
    _run("dd", f"if={volume}", f"of={disk}", "bs=1M", "seek=1", "conv=notrunc")
    volume.unlink()
    shutil.rmtree(staging)
    marker.write_text(str(SIZE_MB))
    return disk


def stored(disk: Path, kind: str) -> Path:
    target = disk.with_name(f"disk.{kind}")
    if target.exists():
        return target
    if kind == "raw.gz":
        with disk.open("rb") as source, gzip.open(target, "wb", compresslevel=1) as out:
            shutil.copyfileobj(source, out, 1 << 20)
    else:
        _run("qemu-img", "convert", "-O", kind, disk, target)
    return target


def scan_seconds(image: Path) -> tuple[float, int]:
    """Median wall seconds of scanning ``image`` alone, and the files it found."""
    times = []
    files = 0
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            exhibit = Path(folder) / "exhibit"
            exhibit.mkdir()
            os.link(image, exhibit / image.name)
            app = build(
                Settings(
                    database_url=f"sqlite:///{folder}/k.db",
                    data_dir=Path(folder) / "data",
                )
            )
            scans = app.services.scans
            start = time.perf_counter()
            scan_id = scans.start(
                exhibit, "bench", settings=ScanSettings(), allow_empty=True
            )
            scans.run([scan_id], workers=2, batch_files=512)
            times.append(time.perf_counter() - start)
            files = app.reports.counts(scan_id)["files"]
            app.close()
    times.sort()
    return times[len(times) // 2], files


def main() -> int:
    header(f"Disk image formats: one {SIZE_MB:,} MiB disk, list + hash + carve")
    for tool in ("qemu-img", "mkfs.ext4", "sfdisk"):
        if shutil.which(tool) is None:
            row("skipped", f"{tool} is missing (make install)")
            return 1
    folder = WORK / "image-formats"
    folder.mkdir(parents=True, exist_ok=True)
    disk = make_disk(folder)
    base, base_files = scan_seconds(disk)
    row("raw", f"{base:.1f} s, {base_files:,} files, {SIZE_MB / base:.0f} MiB/s")
    status = 0
    for kind in ("qcow2", "vmdk", "raw.gz"):
        image = stored(disk, kind)
        seconds, files = scan_seconds(image)
        size = image.stat().st_size / 1e6
        row(
            kind,
            f"{seconds:.1f} s ({seconds / base:.2f}x raw), {files:,} files, "
            f"{size:,.0f} MB on disk",
        )
        status |= files != base_files
    return status


if __name__ == "__main__":
    raise SystemExit(main())
