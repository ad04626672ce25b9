"""Backups round-trip a unit's records, leak nothing in clear, refuse every kind of
damage, and survive a running scan; older schemas migrate with nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import build_demo
from kavach.storage import snapshots
from kavach.storage.database import make_engine
from tests.helpers.casework import capture, person, report, write_reports
from tests.helpers.cli import Env, kavach_command, run_kavach
from tests.helpers.db import fresh_postgres

PHONE = "+919847066666"


def _json(env: Env, *args: str | Path) -> Any:
    return json.loads(run_kavach(env, *args, "--format", "json").stdout)


def _populate(env: Env, tmp_path: Path) -> Path:
    """Lists, a scan with hits and warnings, tips, a seizure with custody."""
    demo = build_demo(tmp_path / "demo")
    for name, path in demo.lists:
        run_kavach(env, "hashset", "import", path, "--name", name)
    run_kavach(env, "scan", demo.exhibit, "--exhibit", "EXH-1", "--workers", "1")
    tips = write_reports(
        tmp_path / "tips.json",
        [
            report(
                "4001",
                [
                    person(
                        phone=PHONE,
                        captures=[capture("203.0.113.44", "2026-11-01T10:00Z", 5)],
                    )
                ],
            )
        ],
    )
    run_kavach(env, "tips", "import", tips)
    run_kavach(env, "seizure", "add", "PH-9", "--type", "phone")
    run_kavach(env, "custody", "add", "PH-9", "sealed", "--place", "P.S. Fort")
    return demo.exhibit


def _state(env: Env) -> dict[str, Any]:
    """What a restore must bring back, as the commands show it."""
    hits = _json(env, "hits")
    for hit in hits:
        hit.pop("hit_id", None)
    return {
        "hits": sorted(json.dumps(h, sort_keys=True) for h in hits),
        "tips": _json(env, "tips", "list"),
        "targets": _json(env, "targets", "list"),
        "custody": _json(env, "custody", "log", "PH-9"),
        "runs": [(r["id"], r["status"]) for r in _json(env, "runs")],
    }


@contextmanager
def _second(env: Env, tmp_path: Path) -> Iterator[Env]:
    """An empty database of the same kind, and its own data folder."""
    if env.database_url.startswith("sqlite"):
        yield Env(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path / "restored-data")
        return
    with fresh_postgres() as url:
        yield Env(url, tmp_path / "restored-data")


def _key(env: Env, tmp_path: Path) -> Path:
    key = tmp_path / "unit.key"
    run_kavach(env, "backup", "key", "--out", key)
    return key


def test_round_trip_restores_everything(env: Env, tmp_path: Path) -> None:
    exhibit = _populate(env, tmp_path)
    before = _state(env)
    key = _key(env, tmp_path)
    backup = tmp_path / "backups" / "unit.kvbk"
    made = run_kavach(env, "backup", "--out", backup, "--key-file", key)
    assert "encrypted" in made.stdout and backup.is_file()
    assert not list(backup.parent.glob(".*partial*"))
    assert (
        "whole" in run_kavach(env, "backup", "verify", backup, "--key-file", key).stdout
    )
    counts = snapshots.counts(make_engine(env.database_url))
    with _second(env, tmp_path) as target:
        run_kavach(target, "restore", backup, "--key-file", key)
        assert _state(target) == before
        restored = snapshots.counts(make_engine(target.database_url))
        assert {t: n for t, n in restored.items() if t != "audit_event"} == {
            t: n for t, n in counts.items() if t != "audit_event"
        }
        assert "the audit chain holds" in run_kavach(target, "audit", "verify").stdout
        actions = [e["action"] for e in _json(target, "audit", "list")]
        # The restored log goes on from the backup's moment: it holds the restore,
        # not the backup's own entry (written after the copy was taken).
        assert "backup.restore" in actions and "backup.create" not in actions
        # The indexes came back: a new scan finds the same hits.
        run_kavach(target, "scan", exhibit, "--exhibit", "EXH-2", "--workers", "1")
        again = _json(target, "hits")
        assert len(again) == len(before["hits"])


def test_a_backup_leaks_nothing_in_clear(sqlite_env: Env, tmp_path: Path) -> None:
    exhibit = _populate(sqlite_env, tmp_path)
    key = _key(sqlite_env, tmp_path)
    backup = tmp_path / "unit.kvbk"
    run_kavach(sqlite_env, "backup", "--out", backup, "--key-file", key)
    raw = backup.read_bytes()
    hit = _json(sqlite_env, "hits")[0]
    for secret in (
        hit["md5"],
        hit["sha256"],
        hit["path"],
        PHONE,
        "PH-9",
        str(exhibit),
        "test-examiner",
        "203.0.113.44",
        "P.S. Fort",
    ):
        assert secret.encode() not in raw, secret
    listed = _json(sqlite_env, "backup", "list", tmp_path)
    assert listed[0]["encrypted"] is True and listed[0]["counts"]["hit"] == len(
        _json(sqlite_env, "hits")
    )
    plain = tmp_path / "plain.kvbk"
    loud = run_kavach(sqlite_env, "backup", "--out", plain, "--no-encrypt")
    assert "NOT ENCRYPTED" in loud.stderr
    refused = run_kavach(
        sqlite_env, "backup", "--out", tmp_path / "x.kvbk", check=False
    )
    assert refused.returncode == 2 and "--key-file" in refused.stderr


def _untouched(target: Env) -> None:
    assert snapshots.is_empty(make_engine(target.database_url))
    indexes = target.data_dir / "indexes"
    assert not indexes.exists() or not any(indexes.iterdir())


def test_damage_is_refused_and_nothing_is_written(
    sqlite_env: Env, tmp_path: Path
) -> None:
    _populate(sqlite_env, tmp_path)
    key = _key(sqlite_env, tmp_path)
    backup = tmp_path / "unit.kvbk"
    run_kavach(sqlite_env, "backup", "--out", backup, "--key-file", key)
    other = tmp_path / "other.key"
    run_kavach(sqlite_env, "backup", "key", "--out", other)
    raw = backup.read_bytes()
    flipped = tmp_path / "flipped.kvbk"
    flipped.write_bytes(
        raw[: len(raw) // 2]
        + bytes([raw[len(raw) // 2] ^ 1])
        + raw[len(raw) // 2 + 1 :]
    )
    cut = tmp_path / "cut.kvbk"
    cut.write_bytes(raw[: len(raw) - 100])
    target = Env(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path / "restored-data")
    for bad, key_file, said in (
        (backup, other, "wrong key"),
        (flipped, key, "damaged"),
        (cut, key, "truncated"),
    ):
        result = run_kavach(target, "restore", bad, "--key-file", key_file, check=False)
        assert result.returncode == 2 and said in result.stderr, result.stderr
        _untouched(target)
    busy = run_kavach(sqlite_env, "restore", backup, "--key-file", key, check=False)
    assert busy.returncode == 2 and "--force" in busy.stderr


def test_a_backup_taken_during_a_scan_restores_resumable(
    sqlite_env: Env, tmp_path: Path
) -> None:
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    for index in range(300):
        (exhibit / f"p{index:03d}.jpg").write_bytes(
            encode(draw_picture(3000 + index, (320, 240)))
        )
    listing = tmp_path / "unit.md5"
    listing.write_text("0" * 32 + "  x\n")
    run_kavach(sqlite_env, "hashset", "import", listing)
    process = subprocess.Popen(
        [
            *kavach_command(),
            "scan",
            str(exhibit),
            "--workers",
            "1",
            "--progress",
            "jsonl",
        ],
        env=sqlite_env.variables(KAVACH_BATCH_FILES="4"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if json.loads(line)["event"] == "committed":
            break
    # Held still mid-scan (its writer is the main process), so the backup is
    # certainly taken while the run is unfinished.
    os.kill(process.pid, signal.SIGSTOP)
    key = _key(sqlite_env, tmp_path)
    backup = tmp_path / "mid-scan.kvbk"
    run_kavach(sqlite_env, "backup", "--out", backup, "--key-file", key)
    process.kill()
    process.wait()
    target = Env(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path / "restored-data")
    run_kavach(target, "restore", backup, "--key-file", key)
    (run,) = _json(target, "runs")
    assert run["status"] == "running"
    run_kavach(target, "scan", "--resume", run["id"])
    files = json.loads(run_kavach(target, "runs", "--format", "json").stdout)
    assert files[0]["status"] == "complete"


def test_keep_prunes_older_backups(sqlite_env: Env, tmp_path: Path) -> None:
    run_kavach(sqlite_env, "init")
    key = _key(sqlite_env, tmp_path)
    folder = tmp_path / "nightly"
    for night in range(3):
        run_kavach(
            sqlite_env,
            "backup",
            "--out",
            folder / f"n{night}.kvbk",
            "--key-file",
            key,
            "--keep",
            "2",
        )
    assert sorted(p.name for p in folder.glob("*.kvbk")) == ["n1.kvbk", "n2.kvbk"]


@pytest.mark.slow
def test_every_older_schema_migrates_with_nothing_lost(
    sqlite_env: Env, tmp_path: Path
) -> None:
    """A database as each earlier migration left it, made here by stepping a full one
    down, opens and migrates to the newest schema keeping every row it held."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from kavach.storage.database import _alembic_config

    _populate(sqlite_env, tmp_path)
    source = Path(sqlite_env.database_url.removeprefix("sqlite:///"))
    engine = make_engine(sqlite_env.database_url)
    script = ScriptDirectory.from_config(_alembic_config(engine))
    revisions = [r.revision for r in script.walk_revisions()][1:]  # all but head
    engine.dispose()
    for revision in revisions:
        copy = tmp_path / f"at-{revision}.db"
        shutil.copyfile(source, copy)
        old = make_engine(f"sqlite:///{copy}")
        command.downgrade(_alembic_config(old), revision)
        held = snapshots.counts(old)
        old.dispose()
        migrated = Env(f"sqlite:///{copy}", tmp_path / f"data-{revision}")
        run_kavach(migrated, "init")  # opens and upgrades
        after = snapshots.counts(make_engine(migrated.database_url))
        # Nothing lost (init may add its seeded rows to tables that were empty).
        lost = {t: (n, after.get(t, 0)) for t, n in held.items() if after.get(t, 0) < n}
        assert not lost, (revision, lost)


def test_force_keeps_a_copy_and_the_passphrase_is_never_kept(
    sqlite_env: Env, tmp_path: Path
) -> None:
    run_kavach(sqlite_env, "init")
    run_kavach(sqlite_env, "seizure", "add", "PH-1", "--type", "phone")
    secret = "correct horse battery staple 1947"
    backup = tmp_path / "unit.kvbk"
    run_kavach(
        sqlite_env,
        "backup",
        "--out",
        backup,
        "--passphrase",
        KAVACH_BACKUP_PASSPHRASE=secret,
    )
    run_kavach(sqlite_env, "seizure", "add", "PH-2", "--type", "laptop")
    wrong = run_kavach(
        sqlite_env,
        "restore",
        backup,
        "--passphrase",
        "--force",
        check=False,
        KAVACH_BACKUP_PASSPHRASE="a wrong passphrase!",
    )
    assert wrong.returncode == 2 and "wrong key or passphrase" in wrong.stderr
    run_kavach(
        sqlite_env,
        "restore",
        backup,
        "--passphrase",
        "--force",
        KAVACH_BACKUP_PASSPHRASE=secret,
    )
    listed = run_kavach(sqlite_env, "custody", "log", "PH-2", check=False)
    assert listed.returncode == 4  # PH-2 came after the backup: gone
    kept = list(sqlite_env.data_dir.glob("replaced-*/database.sqlite"))
    assert len(kept) == 1 and b"PH-2" in kept[0].read_bytes()
    database = Path(sqlite_env.database_url.removeprefix("sqlite:///"))
    for path in (database, backup, *kept):
        assert secret.encode() not in path.read_bytes()
    audit = run_kavach(sqlite_env, "audit", "list", "--format", "json").stdout
    assert secret not in audit and "backup.restore" in audit
