"""Encrypted volumes: named without a key, read with the key the unit obtained.

The sample is cryptsetup's BitLocker To Go test image (tests/data/cryptsetup), made
on Windows by others, xz-compressed as it ships: Kavach reads it through xz, then
through BitLocker, then its FAT16. Its file system is empty, so "read" shows as the
FAT16 that only decryption reveals (the encrypted bytes are no file system).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kavach.evidence.keys import KeyKind, parse_key
from tests.helpers.cli import Env, run_kavach
from tests.helpers.scanning import read_csv

SAMPLE = Path(__file__).parent.parent / "data" / "cryptsetup"
IMAGE = "bitlk-togo-aes-xts-128.img.xz"
VOLUME = f"{IMAGE}#p1"
RECOVERY = "243067-548680-059818-148852-287771-550088-628265-631653"
PASSWORD = "anaconda"


def _exhibit(tmp_path: Path) -> Path:
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    shutil.copy(SAMPLE / IMAGE, exhibit / IMAGE)
    return exhibit


def _scan(env: Env, exhibit: Path, out: Path, *keys: str | Path) -> dict[str, str]:
    run_kavach(env, "scan", exhibit, "--allow-empty", "--out", out, *keys)
    return {w["path"]: w["reason"] for w in read_csv(out / "warnings.csv")}


def test_bitlocker_to_go_is_named_without_a_key_and_read_with_it(
    sqlite_env: Env, tmp_path: Path
) -> None:
    exhibit = _exhibit(tmp_path)
    locked = _scan(sqlite_env, exhibit, tmp_path / "locked")
    assert (
        "encrypted (BitLocker To Go): give its key with --key" in (locked[f"{VOLUME}:"])
    )
    wrong = _scan(sqlite_env, exhibit, tmp_path / "wrong", "--key", f"{VOLUME}=nope")
    assert "the key given (passphrase) does not unlock it" in wrong[f"{VOLUME}:"]
    opened = _scan(
        sqlite_env, exhibit, tmp_path / "opened", "--key", f"{IMAGE}={RECOVERY}"
    )
    assert "FAT16 file system opened" in opened[f"{VOLUME}:"]
    assert "encrypted" not in opened[f"{VOLUME}:"]
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(f"# from the suspect\n{VOLUME}={PASSWORD}\n")
    by_file = _scan(sqlite_env, exhibit, tmp_path / "by-file", "--keys-file", keys_file)
    assert "FAT16 file system opened" in by_file[f"{VOLUME}:"]
    # The audit log says which volume got which kind of key, and who gave it.
    audit = json.loads(
        run_kavach(sqlite_env, "audit", "list", "--format", "json").stdout
    )
    given = [e for e in audit if e["action"] == "scan.keys_given"]
    assert [e["detail"]["keys"] for e in given] == [
        [{"volume": VOLUME, "kind": "passphrase"}],
        [{"volume": IMAGE, "kind": "recovery-password"}],
        [{"volume": VOLUME, "kind": "passphrase"}],
    ]
    assert {e["actor"] for e in given} == {"test-examiner"}
    # The secrets are nowhere: not in the database, the outputs or the log.
    stored = [
        tmp_path / "kavach.db",
        *tmp_path.glob("*/*.csv"),
        *tmp_path.glob("*/*.html"),
    ]
    for path in stored:
        data = path.read_bytes()
        for secret in (RECOVERY, PASSWORD):
            assert secret.encode() not in data, path


def test_keys_are_told_apart_and_never_shown() -> None:
    recovery = parse_key(f"disk.E01#p2={RECOVERY}")
    assert recovery.kind is KeyKind.RECOVERY_PASSWORD
    assert recovery.fits("disk.E01#p2") and not recovery.fits("disk.E01#p3")
    assert parse_key(f"disk.E01={PASSWORD}").fits("disk.E01#p3")
    assert parse_key(f"*={PASSWORD}").kind is KeyKind.PASSPHRASE
    assert RECOVERY not in repr(recovery) and PASSWORD not in repr(
        parse_key(f"x={PASSWORD}")
    )
