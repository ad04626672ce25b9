"""SHA-512 lists: imported from the shapes that carry it, matched by a scan that
computes SHA-512 only because such a list is in it."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from tests.helpers.cli import Env, run_kavach


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_sha512sum_list_matches_and_only_then_is_sha512_computed(
    env: Env, tmp_path: Path
) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    listed = b"a file a partner listed by SHA-512 only\n"
    (evidence / "listed.bin").write_bytes(listed)
    (evidence / "other.txt").write_bytes(b"nothing\n")
    digest = hashlib.sha512(listed).hexdigest()

    md5_list = tmp_path / "other.md5"
    md5_list.write_text(f"{hashlib.md5(b'x').hexdigest()}  x\n")
    run_kavach(env, "hashset", "import", md5_list)
    without = tmp_path / "without"
    run_kavach(env, "scan", evidence, "--out", without)
    assert {row["sha512"] for row in _rows(without / "files.csv")} == {""}

    sha512_list = tmp_path / "partner.sha512"
    sha512_list.write_text(f"{digest.upper()}  listed.bin\n")
    imported = run_kavach(env, "hashset", "import", sha512_list)
    assert "imported 1 entries" in imported.stdout and "format plain" in imported.stdout
    out = tmp_path / "out"
    run_kavach(env, "scan", evidence, "--out", out)
    files = {row["path"]: row for row in _rows(out / "files.csv")}
    assert files["listed.bin"]["sha512"] == digest
    assert files["other.txt"]["sha512"] == hashlib.sha512(b"nothing\n").hexdigest()
    hits = _rows(out / "hits.csv")
    assert [(h["path"], h["algorithm"], h["hashset"]) for h in hits] == [
        ("listed.bin", "sha512", "partner")
    ]
    vics = json.loads(run_kavach(env, "hits", "--format", "vics").stdout)
    alternatives = vics["value"][0]["AlternativeHashes"]
    assert {"MD5": hashlib.md5(listed).hexdigest(), "HashName": "SHA512",
            "HashValue": digest} in alternatives  # fmt: skip


def test_bsd_and_csv_lists_carry_sha512(sqlite_env: Env, tmp_path: Path) -> None:
    digest = hashlib.sha512(b"a").hexdigest()
    bsd = tmp_path / "bsd.txt"
    bsd.write_text(f"SHA512 (a.jpg) = {digest}\n")
    result = run_kavach(sqlite_env, "hashset", "import", bsd)
    assert "imported 1 entries" in result.stdout
    table = tmp_path / "table.csv"
    table.write_text(f"FileName,SHA-512\na.jpg,{digest}\n")
    result = run_kavach(sqlite_env, "hashset", "import", table)
    assert "imported 1 entries" in result.stdout and "format csv" in result.stdout
