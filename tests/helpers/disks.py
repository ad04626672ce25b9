"""Small real disk images built at test time with Debian's tools (no mounting).

FAT with mtools, ext4 with ``mkfs.ext4 -d`` and debugfs, partition tables with
sfdisk, E01 copies with ewfacquire; Sleuth Kit's ``fls`` lists them for comparison.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = (
    "mkfs.vfat",
    "mcopy",
    "mmd",
    "mdel",
    "mkfs.ext4",
    "debugfs",
    "sfdisk",
    "ewfacquire",
    "fls",
)
SECTOR = 512
START = 2048  # first partition at 1 MiB


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"test tools missing (make install / .ci/run installs them): {missing}"
        )


def _run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, capture_output=True)


def fat_volume(
    path: Path, files: dict[str, bytes], delete: list[str], size_mb: int = 16
) -> Path:
    """A FAT file system holding ``files``, with ``delete`` removed afterwards."""
    _run("mkfs.vfat", "-C", path, str(size_mb * 1024))
    staging = path.with_suffix(".files")
    made: set[str] = set()
    for name, data in files.items():
        parts = name.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in made:
                _run("mmd", "-i", path, f"::/{folder}")
                made.add(folder)
        staging.mkdir(exist_ok=True)
        local = staging / parts[-1]
        local.write_bytes(data)
        _run("mcopy", "-i", path, local, f"::/{name}")
    for name in delete:
        _run("mdel", "-i", path, f"::/{name}")
    shutil.rmtree(staging, ignore_errors=True)
    return path


def ext4_volume(
    path: Path, files: dict[str, bytes], delete: list[str], size_mb: int = 16
) -> Path:
    staging = path.with_suffix(".tree")
    for name, data in files.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    _run("mkfs.ext4", "-q", "-F", "-b", "1024", "-d", staging, path, f"{size_mb}M")
    for name in delete:
        _run("debugfs", "-w", "-R", f"rm /{name}", path)
    shutil.rmtree(staging, ignore_errors=True)
    return path


def ntfs_volume(path: Path, files: dict[str, bytes], size_mb: int = 16) -> Path:
    """An NTFS file system, ``files`` in its root (ntfscp makes no folders)."""
    with path.open("wb") as handle:
        handle.truncate(size_mb * 1024 * 1024)
    _run("mkntfs", "-q", "-F", "-f", path)
    for name, data in files.items():
        local = path.with_name(name)
        local.write_bytes(data)
        _run("ntfscp", path, local, f"/{name}")
        local.unlink()
    return path


def with_logical(disk: Path, first: Path, second: Path) -> Path:
    """An MBR disk: ``first`` in a primary partition, ``second`` in a logical one."""
    one, two = (v.stat().st_size // SECTOR for v in (first, second))
    extended_start = START + one + 2048
    logical_start = extended_start + 2048
    with disk.open("wb") as handle:
        handle.truncate((logical_start + two + 2048) * SECTOR)
    script = (
        f"label: dos\nstart={START}, size={one}, type=c\n"
        f"start={extended_start}, size={two + 4096}, type=5\n"
        f"start={logical_start}, size={two}, type=83\n"
    )
    subprocess.run(
        ["sfdisk", "-q", str(disk)],
        input=script.encode(),
        check=True,
        capture_output=True,
    )
    with disk.open("r+b") as handle:
        for start, volume in ((START, first), (logical_start, second)):
            handle.seek(start * SECTOR)
            handle.write(volume.read_bytes())
    return disk


def partitioned(disk: Path, volume: Path, table: str, fat: bool) -> Path:
    """``volume`` placed in the first partition of an MBR or GPT disk."""
    sectors = volume.stat().st_size // SECTOR
    disk.write_bytes(b"")
    with disk.open("r+b") as handle:
        handle.truncate((START + sectors + 2048) * SECTOR)
    kind = (
        ("c" if fat else "83")
        if table == "dos"
        else (
            "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
            if fat
            else "0FC63DAF-8483-4772-8E7D-47D8DD7D3DE4"
        )
    )
    script = f"label: {table}\nstart={START}, size={sectors}, type={kind}\n"
    subprocess.run(
        ["sfdisk", "-q", str(disk)],
        input=script.encode(),
        check=True,
        capture_output=True,
    )
    with disk.open("r+b") as handle:
        handle.seek(START * SECTOR)
        handle.write(volume.read_bytes())
    return disk


def to_e01(raw: Path, target: Path) -> Path:
    """An EnCase 6 copy of ``raw`` made by ewfacquire (with its stored MD5)."""
    _run(
        "ewfacquire",
        "-u",
        "-q",
        "-t",
        target,
        "-f",
        "encase6",
        "-c",
        "deflate:fast",
        "-C",
        "CASE-7",
        "-D",
        "test disk",
        "-e",
        "Examiner One",
        "-E",
        "EXH-7",
        "-N",
        "built by the tests",
        raw,
    )
    return target.with_suffix(".E01")


_FLS = re.compile(
    r"^(?P<kind>\S+)\s+(?P<deleted>\* )?(?P<inode>[\d-]+)"
    r"(?:\(realloc\))?:\t(?P<path>.*)$"
)


def fls_files(
    image: Path, offset_sectors: int, ewf: bool = False
) -> set[tuple[str, bool]]:
    """(path, deleted) of every regular file Sleuth Kit's ``fls -r -p`` lists."""
    args = ["fls", "-r", "-p", "-o", str(offset_sectors)]
    if ewf:
        args += ["-i", "ewf"]
    output = subprocess.run(
        [*args, str(image)],
        check=True,
        capture_output=True,
        text=True,
        errors="surrogateescape",
    ).stdout
    files = set()
    for line in output.splitlines():
        match = _FLS.match(line)
        if match and match["kind"].endswith("/r") and not match["kind"].startswith("v"):
            # NTFS streams ("file:stream") are rows of their own, as in Kavach.
            files.add((match["path"], bool(match["deleted"])))
    return files


# NTFS's bad-cluster map: a stream as long as the volume with no byte stored. fls
# lists it; Kavach warns "no data stored" instead of hashing a volume of zeros.
NOTHING_STORED = {"$BadClus:$Bad"}


def fls_stored(
    image: Path, offset_sectors: int, ewf: bool = False
) -> set[tuple[str, bool]]:
    """``fls_files`` less the streams that store nothing."""
    listed = fls_files(image, offset_sectors, ewf)
    return {(path, deleted) for path, deleted in listed if path not in NOTHING_STORED}


def fls_name_only(image: Path, offset_sectors: int) -> set[str]:
    """Deleted names ``fls`` lists with no metadata (``r/- * 0``)."""
    output = subprocess.run(
        ["fls", "-r", "-p", "-o", str(offset_sectors), str(image)],
        check=True,
        capture_output=True,
        text=True,
        errors="surrogateescape",
    ).stdout
    return {
        m["path"]
        for line in output.splitlines()
        if (m := _FLS.match(line)) and m["kind"] == "r/-" and m["inode"] == "0"
    }
