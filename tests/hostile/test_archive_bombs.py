"""Archives built to exhaust a scan: each ends quickly, in bounded memory, named.

The bombs are built at test time (``helpers/bombs.py``); each scan runs as its own
process under a 3 GiB address-space cap, and its peak memory is measured outside.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

from tests.helpers.bombs import nested_zip_bomb
from tests.helpers.cli import Env, run_kavach, run_kavach_measured

CAP = 3 * 1024**3


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _warnings(out: Path) -> list[dict[str, str]]:
    with (out / "warnings.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_42_zip_ends_in_seconds_under_3_gib(sqlite_env: Env, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    bomb = evidence / "42.zip"
    # 16**4 leaves of 256 MiB of zeros: 16 TiB from a file of about 45 KB.
    bomb.write_bytes(nested_zip_bomb(levels=4, leaf_bytes=256 * 1024**2))
    before = _digest(bomb)
    out = tmp_path / "out"
    run = run_kavach_measured(
        sqlite_env,
        "scan",
        evidence,
        "--allow-empty",
        "--out",
        out,
        address_space=CAP,
        timeout=300,  # the old reader ran for hours
    )
    assert run.returncode == 0, run.stderr
    warnings = _warnings(out)
    assert len(warnings) == 1
    assert warnings[0]["path"].startswith("42.zip!/3-0.zip!/")
    assert "the archives nested in 42.zip expand" in warnings[0]["reason"]
    assert "KAVACH_ARCHIVE_MAX_RATIO" in warnings[0]["reason"]
    assert run.peak_rss_mib < 600, f"{run.peak_rss_mib:.0f} MiB"
    assert _digest(bomb) == before


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_too_many_members_in_nested_archives_stop_the_tree(
    sqlite_env: Env, tmp_path: Path
) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        for i in range(30):
            archive.writestr(f"note-{i}.txt", f"note {i}\n")
    _zip(evidence / "outer.zip", {"a.zip": inner.getvalue(), "b.zip": inner.getvalue()})
    out = tmp_path / "out"
    result = run_kavach(
        sqlite_env,
        "scan",
        evidence,
        "--allow-empty",
        "--out",
        out,
        KAVACH_ARCHIVE_MAX_MEMBERS="40",
    )
    assert "scan complete" in result.stdout
    reasons = [w["reason"] for w in _warnings(out)]
    assert len(reasons) == 1
    assert "hold over 40 members (KAVACH_ARCHIVE_MAX_MEMBERS)" in reasons[0]
    with (out / "files.csv").open(newline="") as handle:
        paths = [row["path"] for row in csv.DictReader(handle)]
    # outer.zip, then 40 members: a.zip, its 30 notes, b.zip and 8 of its notes.
    assert len(paths) == 1 + 1 + 30 + 1 + 8


def test_time_spent_in_nested_archives_is_bounded(
    sqlite_env: Env, tmp_path: Path
) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    _zip(evidence / "slow.zip", {f"{i}.txt": bytes(1000) for i in range(50)})
    out = tmp_path / "out"
    run_kavach(
        sqlite_env,
        "scan",
        evidence,
        "--allow-empty",
        "--out",
        out,
        KAVACH_ARCHIVE_MAX_SECONDS="0.000001",
    )
    reasons = [w["reason"] for w in _warnings(out)]
    assert len(reasons) == 1 and "KAVACH_ARCHIVE_MAX_SECONDS" in reasons[0]
