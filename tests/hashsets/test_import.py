"""Importing lists into a real database (SQLite and PostgreSQL): versions, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kavach.bootstrap import Kavach
from kavach.errors import FormatError, InputError
from kavach.hashsets.importer import ImportResult
from kavach.hashsets.model import Role
from kavach.storage.tables import hash_entry, hashset_version
from tests.helpers import samples
from tests.helpers.scanning import import_list


def _import(app: Kavach, path: Path, **options: object) -> ImportResult:
    return import_list(app, path, **options)


def _entry_rows(app: Kavach) -> int:
    with app.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(hash_entry)
            ).scalar_one()
        )


def test_import_records_provenance_and_lowercase_digests(
    app: Kavach, tmp_path: Path
) -> None:
    path = tmp_path / "partner.json"
    samples.vics_2(path)
    result = _import(app, path, name="partner", source="ICMEC", label="2026-10")
    info = result.info
    assert (info.name, info.role, info.scheme, info.format) == (
        "partner",
        Role.ALERT,
        "projectvic-us",
        "vics",
    )
    assert info.version_label == "2026-10" and info.source == "ICMEC"
    assert info.imported_by == "test-examiner" and info.entry_count == 2
    assert info.counts == {
        "md5": 2,
        "sha1": 1,
        "sha256": 1,
        "status:alert": 1,
        "status:unknown": 1,
    }
    with app.engine.connect() as connection:
        md5s = set(connection.execute(select(hash_entry.c.md5)).scalars())
    assert md5s == {samples.MD5_A, samples.MD5_B}
    assert (app.index_root / (info.version_uid or "") / "md5.words.npy").exists()


def test_reimport_of_a_newer_version_replaces_the_current_one(
    app: Kavach, tmp_path: Path
) -> None:
    old, new = tmp_path / "v1.txt", tmp_path / "v2.txt"
    old.write_text(f"{samples.MD5_A}  a\n")
    new.write_text(f"{samples.MD5_A}  a\n{samples.MD5_B}  b\n")
    first = _import(app, old, name="unit")
    second = _import(app, new, name="unit")
    assert second.info.version_id != first.info.version_id
    assert second.info.entry_count == 2
    assert [i.name for i in app.hashsets.list_all()] == ["unit"]
    with app.engine.connect() as connection:
        superseded = connection.execute(
            select(hashset_version.c.superseded_at).where(
                hashset_version.c.id == first.info.version_id
            )
        ).scalar_one()
    assert superseded is not None
    again = _import(app, new, name="unit")
    assert again.unchanged and again.info.version_id == second.info.version_id


def test_malformed_list_leaves_the_database_exactly_as_before(
    app: Kavach, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(f"{samples.MD5_A}  a\n")
    _import(app, good, name="unit")
    before = (
        app.hashsets.list_all(),
        _entry_rows(app),
        sorted(p.name for p in app.index_root.iterdir()),
    )
    bad = tmp_path / "bad.txt"
    lines = [f"{i:032x}  file{i}" for i in range(12_000)]  # spans several row batches
    lines[11_500] = "this line is broken"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(FormatError, match="line 11501"):
        _import(app, bad, name="unit")
    with pytest.raises(FormatError):
        _import(app, bad, name="brand-new-list")
    after = (
        app.hashsets.list_all(),
        _entry_rows(app),
        sorted(p.name for p in app.index_root.iterdir()),
    )
    assert after == before


def test_ncmec_delta_honours_deletions(app: Kavach, tmp_path: Path) -> None:
    first = tmp_path / "day1.xml"
    first.write_text(f"""<queryResult><images>
      <image><id>img-0</id><member id="1">P</member><classification>A1</classification>
        <fingerprints><md5>{samples.MD5_B}</md5></fingerprints></image>
      <image><id>img-1</id><member id="1">P</member><classification>A2</classification>
        <fingerprints><md5>{samples.MD5_A}</md5></fingerprints></image>
    </images></queryResult>""")
    second = tmp_path / "day2.xml"
    samples.ncmec(second)  # deletes img-0, re-sends img-1, adds vid-1
    _import(app, first, name="ncmec")
    result = _import(app, second, name="ncmec")
    assert result.deleted == 1
    assert result.info.entry_count == 2
    with app.engine.connect() as connection:
        rows = connection.execute(
            select(hash_entry.c.partner_id, hash_entry.c.raw_category, hash_entry.c.pdq)
            .where(hash_entry.c.version_id == result.info.version_id)
            .order_by(hash_entry.c.partner_id)
        ).all()
    assert [(r.partner_id, r.raw_category) for r in rows] == [
        ("img-1", "A1"),
        ("vid-1", "B2"),
    ]
    assert rows[0].pdq == samples.PDQ_A


def test_known_list_role_and_statuses(app: Kavach, tmp_path: Path) -> None:
    path = tmp_path / "NSRLFile.txt"
    samples.nsrl_legacy(path)
    info = _import(app, path, name="nsrl").info
    assert info.role is Role.KNOWN and info.scheme == "nsrl"
    assert info.counts["status:ignorable"] == 1 and info.counts["status:review"] == 1


def test_pdq_threshold_out_of_range_is_refused_by_the_service(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    path = tmp_path / "unit.pdq"
    path.write_text("f" * 64 + "\n")
    with pytest.raises(InputError, match="a PDQ distance is 0 to 255"):
        _import(sqlite_app, path, pdq_threshold=400)
    assert sqlite_app.hashsets.list_all() == []
