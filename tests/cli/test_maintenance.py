"""`kavach init` and `kavach doctor` keep the data folder and the database in step."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from kavach.storage.database import make_engine
from kavach.storage.tables import audit_event
from tests.helpers.cli import Env, run_kavach
from tests.helpers.db import lift_append_only_guard


def test_orphan_index_folders_are_removed_and_tampering_reported(
    sqlite_env: Env, tmp_path: Path
) -> None:
    listing = tmp_path / "unit.md5"
    listing.write_text("0" * 32 + "  x\n")
    run_kavach(sqlite_env, "hashset", "import", listing)
    indexes = sqlite_env.data_dir / "indexes"
    owned = [p.name for p in indexes.iterdir()]
    orphan = indexes / ("f" * 32)  # as a kill -9 during an index build leaves it
    orphan.mkdir()
    (orphan / "md5.words.npy").write_bytes(b"half written")
    result = run_kavach(sqlite_env, "init")
    assert f"removed index folder {orphan.name}" in result.stdout
    assert sorted(p.name for p in indexes.iterdir()) == owned
    assert "no problems found" in run_kavach(sqlite_env, "doctor").stdout
    engine = make_engine(sqlite_env.database_url)
    with engine.begin() as connection:
        lift_append_only_guard(connection, "audit_event")
        connection.execute(update(audit_event).values(actor="someone else"))
    engine.dispose()
    doctor = run_kavach(sqlite_env, "doctor", check=False)
    assert doctor.returncode == 1 and "hash chain breaks at entry 1" in doctor.stderr
