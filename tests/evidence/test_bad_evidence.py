"""Bad evidence is a warning naming the reason; the rest is scanned; nothing changes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from tests.helpers import disks
from tests.helpers.scanning import read_csv, scan


def _state(root: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def exhibit(tmp_path: Path, testdata: Path) -> Path:
    disks.require_tools()
    root = tmp_path / "exhibit"
    root.mkdir()
    picture = encode(draw_picture(901))
    volume = disks.fat_volume(tmp_path / "v.vol", {"a.jpg": picture}, [])
    whole = disks.partitioned(tmp_path / "whole.dd", volume, "dos", fat=True)
    data = whole.read_bytes()
    (root / "truncated.dd").write_bytes(data[: disks.START * 512 + 4096])
    corrupt = bytearray(data)
    corrupt[446 + 8 : 446 + 16] = b"\xff" * 8  # first partition points past the end
    (root / "corrupt-table.dd").write_bytes(bytes(corrupt))
    luks = bytearray(data)
    luks[disks.START * 512 : disks.START * 512 + 6] = b"LUKS\xba\xbe"
    (root / "luks.dd").write_bytes(bytes(luks))
    bitlocker = bytearray(data)
    bitlocker[disks.START * 512 + 3 : disks.START * 512 + 11] = b"-FVE-FS-"
    (root / "bitlocker.dd").write_bytes(bytes(bitlocker))
    shutil.copy(testdata / "dfvfs" / "ext2.split.E01", root / "lonely.E01")
    (root / "broken.mp4").write_bytes(b"\x00\x00\x00\x20ftypisom" + b"\x13" * 4000)
    (root / "fine.jpg").write_bytes(picture)
    return root


def test_bad_evidence_becomes_warnings(
    sqlite_app: Kavach, exhibit: Path, tmp_path: Path
) -> None:
    before = _state(exhibit)
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=2)
    warnings = {
        (w["path"], w["stage"]): w["reason"] for w in read_csv(out / "warnings.csv")
    }
    reasons = " | ".join(f"{p}: {r}" for (p, _), r in warnings.items())
    assert "not scanned: encrypted (LUKS)" in warnings[("luks.dd#p1:", "container")]
    assert (
        "not scanned: encrypted (BitLocker)"
        in warnings[("bitlocker.dd#p1:", "container")]
    )
    assert any(
        p.startswith("lonely.E01") and "E01 not opened" in r
        for (p, _), r in warnings.items()
    ), reasons
    assert any(p.startswith("truncated.dd") for (p, _) in warnings), reasons
    assert any(p.startswith("corrupt-table.dd") for (p, _) in warnings), reasons
    assert "video not decoded" in warnings[("broken.mp4", "decode")]
    files = {f["path"] for f in read_csv(out / "files.csv")}
    assert "fine.jpg" in files and "luks.dd" in files
    # Every image, volume or file system not read is counted apart, in red.
    unread = sum(stage == "container" for _, stage in warnings)
    assert unread >= 4
    assert f"{unread} containers not read" in (out / "report.html").read_text()
    assert _state(exhibit) == before
