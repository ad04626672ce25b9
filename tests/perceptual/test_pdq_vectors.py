"""`kavach hash` reproduces the shared PDQ/digest vectors bit for bit."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.helpers.cli import Env, run_kavach


def test_kavach_hash_matches_expected_tsv(testdata: Path, sqlite_env: Env) -> None:
    base = testdata / "pdq"
    with (base / "expected.tsv").open() as handle:
        expected = {row["path"]: row for row in csv.DictReader(handle, delimiter="\t")}
    assert len(expected) >= 30
    paths = [base / rel for rel in expected]
    result = run_kavach(sqlite_env, "hash", *paths)
    lines = result.stdout.splitlines()
    assert len(lines) == len(paths)
    for line, rel in zip(lines, expected, strict=True):
        got = json.loads(line)
        want = expected[rel]
        assert got["path"] == str(base / rel)
        assert got["size"] == (base / rel).stat().st_size
        for key in ("md5", "sha1", "sha256", "pdq"):
            assert got[key] == want[key], (rel, key)
        assert got["pdq_quality"] == int(want["quality"]), rel


def test_kavach_hash_prints_low_quality_hashes(testdata: Path, sqlite_env: Env) -> None:
    small = testdata / "pdq" / "images" / "small.jpg"
    got = json.loads(run_kavach(sqlite_env, "hash", small).stdout)
    assert got["pdq_quality"] == 0
    assert len(got["pdq"]) == 64


def test_kavach_hash_non_picture_has_no_pdq(tmp_path: Path, sqlite_env: Env) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_bytes(b"hello\n")
    got = json.loads(run_kavach(sqlite_env, "hash", plain).stdout)
    assert got["pdq"] is None and got["pdq_quality"] is None
    assert got["md5"] == "b1946ac92492d2347c6235b4d2611184"
