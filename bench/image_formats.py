"""Benchmark 6: listing and hashing one disk stored as raw, QCOW2, VMDK, raw.gz and
as a LUKS2 volume.

A 1 GiB disk (MBR, one ext4 partition holding ~800 MB of files, built with
``mkfs.ext4 -d``), converted with qemu-img. Each is scanned (list, read every file,
hash, carve free space) through the same service; the figures are the median of
``BENCH_IMAGE_RUNS`` scans and each container's ratio to raw in the same run.
The LUKS2 row (AES-XTS, 512-byte sectors, made by cryptsetup's offline
encryption where cryptsetup is installed) is the same disk encrypted whole and
scanned with its passphrase: what decrypting as Kavach reads costs.
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
from kavach.evidence.keys import KeyRing, parse_key
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


LUKS_PASSPHRASE = "bench-LUKS2"
PARTITION_START = 1024 * 1024  # sfdisk's start=2048


def stored(disk: Path, kind: str) -> Path:
    target = disk.with_name(f"disk.{kind}")
    if target.exists():
        return target
    if kind == "luks2":
        return _luks2(disk, target)
    if kind == "raw.gz":
        with disk.open("rb") as source, gzip.open(target, "wb", compresslevel=1) as out:
            shutil.copyfileobj(source, out, 1 << 20)
    else:
        _run("qemu-img", "convert", "-O", kind, disk, target)
    return target


def _luks2(disk: Path, target: Path) -> Path:
    """The disk's ext4 partition encrypted by cryptsetup (16 MiB header in
    front), as a LUKS volume holds a file system."""
    partial = target.with_suffix(".partial")
    volume = disk.stat().st_size - PARTITION_START
    with disk.open("rb") as source, partial.open("wb") as out:
        source.seek(PARTITION_START)
        shutil.copyfileobj(source, out, 1 << 20)
        out.truncate(volume + 32 * 1024 * 1024)
    passphrase = target.with_suffix(".pass")
    passphrase.write_text(LUKS_PASSPHRASE)
    _run(
        "cryptsetup", "reencrypt", "--encrypt", "--type", "luks2",
        "--reduce-device-size", "32M", "--pbkdf", "pbkdf2",
        "--pbkdf-force-iterations", "1000", "--batch-mode",
        "--key-file", passphrase, partial,
    )  # fmt: skip
    with partial.open("r+b") as handle:  # the clear volume: the partition exactly
        handle.truncate(volume + 16 * 1024 * 1024)
    partial.rename(target)
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
            keys = KeyRing((parse_key(f"*={LUKS_PASSPHRASE}"),))
            scans.run([scan_id], workers=2, batch_files=512, keys=keys)
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
    kinds = ["qcow2", "vmdk", "raw.gz"]
    if shutil.which("cryptsetup"):
        kinds.append("luks2")
    else:
        row("luks2", "skipped: cryptsetup is missing (apt-get install cryptsetup-bin)")
    for kind in kinds:
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
