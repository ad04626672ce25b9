"""Builds the demo's lists and exhibit, and says which hits a correct scan must find."""

from __future__ import annotations

import hashlib
import io
import random
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from kavach.demo.draw import EDITS, draw_picture, encode
from kavach.demo.lists import (
    Listed,
    write_icse,
    write_nsrl_legacy,
    write_pdq_list,
    write_vics,
)
from kavach.perceptual.pdq import pdq_of_stream


@dataclass(frozen=True)
class ExpectedHit:
    path: str
    hashset: str
    match_type: str


@dataclass
class DemoSet:
    exhibit: Path
    lists: list[tuple[str, Path]]  # (list name, file), in import order
    expected_hits: list[ExpectedHit] = field(default_factory=list)
    expected_warnings: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)


def listed(data: bytes, name: str = "", category: int | None = 1) -> Listed:
    pdq = ""
    if data[:2] == b"\xff\xd8" or data[:4] == b"\x89PNG":
        pdq = pdq_of_stream(io.BytesIO(data)).hash
    return Listed(
        md5=hashlib.md5(data).hexdigest(),
        sha1=hashlib.sha1(data).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
        pdq=pdq,
        size=len(data),
        name=name,
        category=category,
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _seven_zip(members: dict[str, bytes]) -> bytes | None:
    try:
        import py7zr
    except ImportError:
        return None
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(data, name)
    return buffer.getvalue()


def build_demo(workdir: Path) -> DemoSet:
    """Write ``workdir/lists`` and ``workdir/exhibit``; returns what to find."""
    rng = random.Random(2026)
    pictures: list[Image.Image] = [draw_picture(seed) for seed in range(20)]
    originals = [encode(p) for p in pictures]
    lists_dir, root = workdir / "lists", workdir / "exhibit"
    lists_dir.mkdir(parents=True)
    demo = DemoSet(exhibit=root, lists=[])
    files: dict[str, bytes] = {}

    def plant(
        path: str, data: bytes, hashset: str | None = None, match_type: str = "exact"
    ) -> None:
        if "!/" not in path:
            files[path] = data
        if hashset:
            demo.expected_hits.append(ExpectedHit(path, hashset, match_type))

    # Exact copies of listed pictures.
    plant("DCIM/Camera/IMG_0001.jpg", originals[0], "projectvic-partner")
    plant("Downloads/saved.jpg", originals[1], "projectvic-partner")
    plant("WhatsApp/Media/IMG-20200412-WA0001.jpg", originals[3], "interpol-icse")
    # Edited copies of pictures on the PDQ list: found perceptually.
    for path, index, edit in (
        ("WhatsApp/Media/resized.jpg", 5, "resized"),
        ("WhatsApp/Media/recompressed.jpg", 6, "recompressed"),
        ("Pictures/rotated.jpg", 7, "rotated"),
        ("Pictures/mirror.jpg", 8, "flipped"),
        ("Pictures/copy.png", 9, "png"),
    ):
        plant(path, EDITS[edit](pictures[index]), "unit-pdq", "perceptual")
    # Pictures on no list, and ordinary files (two of them on the known list).
    for index in range(10, 15):
        plant(f"Pictures/unrelated_{index}.jpg", originals[index])
    plant("DCIM/Camera/IMG_0002.jpg", originals[15])
    plant("Documents/notes.txt", b"Shopping: rice, dal, coconut oil\n")
    plant("Documents/letter.pdf", b"%PDF-1.4\n%benign demo\n" + rng.randbytes(2000))
    setup = rng.randbytes(40_000)
    readme = b"Demo application, version 1.0\n"
    plant("Program Files/DemoApp/setup.dll", setup)
    plant("Program Files/DemoApp/readme.txt", readme)
    demo.known += [
        "Program Files/DemoApp/setup.dll",
        "Program Files/DemoApp/readme.txt",
    ]
    # Archives: a zip holding a tar.gz, and a 7z.
    inner = _tar_gz({"photos/p.jpg": originals[2], "photos/other.jpg": originals[16]})
    plant(
        "archives/backup.zip",
        _zip(
            {
                "inner.tar.gz": inner,
                "ICSE/x.jpg": originals[4],
                "grey.jpg": EDITS["grey"](pictures[5]),
                "notes.txt": b"nothing here\n",
            }
        ),
    )
    plant("archives/backup.zip!/inner.tar.gz!/photos/p.jpg", b"", "projectvic-partner")
    plant("archives/backup.zip!/ICSE/x.jpg", b"", "interpol-icse")
    plant("archives/backup.zip!/grey.jpg", b"", "unit-pdq", "perceptual")
    seven = _seven_zip(
        {
            "old/recompressed.jpg": EDITS["recompressed"](pictures[6]),
            "old/readme.txt": b"old photos\n",
        }
    )
    if seven is not None:
        plant("archives/old.7z", seven)
        plant("archives/old.7z!/old/recompressed.jpg", b"", "unit-pdq", "perceptual")
    # Broken files: each must become a warning, and the scan must go on.
    plant("broken/truncated.jpg", originals[17][: len(originals[17]) // 3])
    plant("broken/damaged.zip", b"PK\x03\x04" + rng.randbytes(3000))
    plant("broken/not-a-picture.jpg", rng.randbytes(5000))
    plant("broken/empty.dat", b"")
    demo.expected_warnings += ["broken/truncated.jpg", "broken/damaged.zip"]

    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    demo.lists = [
        ("projectvic-partner", lists_dir / "partner-vics.json"),
        ("interpol-icse", lists_dir / "icse-export.csv"),
        ("unit-pdq", lists_dir / "unit-pdq.txt"),
        ("nsrl", lists_dir / "NSRLFile.txt"),
    ]
    write_vics(demo.lists[0][1], [listed(originals[i]) for i in (0, 1, 2)])
    write_icse(demo.lists[1][1], [listed(originals[i]) for i in (3, 4)])
    write_pdq_list(demo.lists[2][1], [listed(originals[i]) for i in range(5, 10)])
    write_nsrl_legacy(
        demo.lists[3][1], [listed(setup, "setup.dll"), listed(readme, "readme.txt")]
    )
    return demo
