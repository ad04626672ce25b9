"""An Apple Partition Map disk (parted made the map, tests/data/apm): each
partition is a volume, listed as ``fls`` lists it at the offset ``mmls`` gives."""

from __future__ import annotations

import gzip
import re
import subprocess
from pathlib import Path

from kavach.bootstrap import Kavach
from tests.helpers import disks
from tests.helpers.scanning import read_csv, scan

SAMPLE = Path(__file__).parent.parent / "data" / "apm" / "apm.img.gz"


def _mmls_partitions(image: Path) -> list[int]:
    """Start sectors of the map's data partitions, as The Sleuth Kit reads them."""
    listing = subprocess.run(
        ["mmls", str(image)], check=True, capture_output=True, text=True
    ).stdout
    assert "MAC Partition Map" in listing
    return [
        int(match[1])
        for match in re.finditer(
            r"^\d+:\s+\d+\s+(\d+)\s+\d+\s+\d+\s+(\S+)", listing, re.M
        )
        if match[2] not in ("Apple_partition_map", "Apple_Free")
    ]


def test_each_apm_partition_lists_what_fls_lists(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    image = exhibit / "apm.img"
    image.write_bytes(gzip.decompress(SAMPLE.read_bytes()))
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out, workers=1)
    files = read_csv(out / "files.csv")
    starts = _mmls_partitions(image)
    assert starts == [2048, 8192]
    for number, start in enumerate(starts, 1):
        prefix = f"apm.img#p{number}:/"
        ours = {
            (f["path"].removeprefix(prefix), f["deleted"] == "true")
            for f in files
            if f["path"].startswith(prefix) and "$Unallocated" not in f["path"]
        }
        assert ours == disks.fls_files(image, start), number
    deleted = {f["path"] for f in files if f["deleted"] == "true"}
    assert "apm.img#p2:/_one.txt" in deleted
    warnings = read_csv(out / "warnings.csv")
    assert not [w for w in warnings if w["stage"] == "container"], warnings
