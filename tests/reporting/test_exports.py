"""Exports: VICS 2.0 that Kavach's own VICS reader (like a partner tool's) accepts."""

from __future__ import annotations

import io
import json
from pathlib import Path

from kavach.hashsets.formats.interface import ParseContext
from kavach.hashsets.formats.vics import VicsFormat
from kavach.hashsets.model import ParsedEntry
from kavach.reporting.exports import write_hits_csv, write_hits_json, write_hits_vics
from kavach.reporting.rows import HitRow


def _hit(path: str, md5: str, category: str | None, hashset: str = "partner") -> HitRow:
    return HitRow(
        path=path,
        size=10,
        md5=md5,
        sha1="a" * 40,
        sha256="b" * 64,
        pdq="c" * 64,
        pdq_quality=90,
        mime="image/jpeg",
        match_type="exact",
        algorithm="md5",
        distance=0,
        variant=None,
        hashset=hashset,
        list_version="v1",
        category=category,
        status="alert",
        partner_id="1",
        series=None,
        entry_pdq=None,
        review="pending",
    )


def test_vics_export_groups_copies_and_round_trips(tmp_path: Path) -> None:
    md5 = "d35c785545392755e7e4164457657269"
    hits = [
        _hit("DCIM/a.jpg", md5, "2"),
        _hit("backup.zip!/b/a.jpg", md5, "1", "icse"),
        _hit("x.jpg", "69b0834fac1477a4397a0be6b6e55c1a", "baseline"),
    ]
    buffer = io.StringIO()
    assert write_hits_vics(buffer, hits, source_id="exhibit-1") == 2
    document = json.loads(buffer.getvalue())
    assert document["@odata.context"].endswith("2.0.xml/Default/$metadata#Media")
    first = document["value"][0]
    assert first["MD5"] == md5 and first["Category"] == 1  # lowercase, always
    assert [f["FilePath"] for f in first["MediaFiles"]] == ["DCIM", "backup.zip!/b"]
    assert document["value"][1]["Category"] is None
    path = tmp_path / "export.json"
    path.write_text(buffer.getvalue())
    parsed = [
        e
        for e in VicsFormat().parse(path, ParseContext(str(path)))
        if isinstance(e, ParsedEntry)
    ]
    assert [e.md5 for e in parsed] == [md5, "69b0834fac1477a4397a0be6b6e55c1a"]
    assert parsed[0].sha256 == "b" * 64 and parsed[0].pdq == "c" * 64


def test_csv_and_json_have_the_required_columns() -> None:
    buffer = io.StringIO()
    write_hits_csv(buffer, [_hit("a,b.jpg", "0" * 32, None)])
    header, row = buffer.getvalue().splitlines()
    assert header.startswith(
        "path,size,md5,sha1,sha256,sha512,pdq,pdq_quality,match_type,"
        "algorithm,distance,hashset,category"
    )
    assert row.startswith('"a,b.jpg",10,')
    buffer = io.StringIO()
    write_hits_json(buffer, [_hit("a.jpg", "0" * 32, None)])
    assert json.loads(buffer.getvalue())[0]["distance"] == 0
