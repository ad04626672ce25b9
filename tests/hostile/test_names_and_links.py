"""File names and archive members chosen to break or weaponise the outputs."""

from __future__ import annotations

import csv
import io
import tarfile
from pathlib import Path

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.reporting.exports import write_warnings_csv
from kavach.reporting.rows import WarningRow
from tests.helpers.scanning import read_csv, scan


def test_formula_prefixes_and_carriage_returns_are_made_harmless(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    names = ["=HYPERLINK(1).jpg", "+1.txt", "-2.txt", "@SUM(A1).txt", "cr\rlf.txt"]
    for name in names:
        (exhibit / name).write_bytes(name.encode())
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out)
    with (out / "files.csv").open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(names)  # the carriage return split no row
    column = rows[0].index("path")
    paths = sorted(row[column] for row in rows[1:])
    assert paths == sorted(
        ["'=HYPERLINK(1).jpg", "'+1.txt", "'-2.txt", "'@SUM(A1).txt", "cr\rlf.txt"]
    )
    assert '"cr\rlf.txt"' in text
    with sqlite_app.engine.connect() as connection:
        exact = connection.exec_driver_sql(
            "SELECT path_bytes FROM file_record ORDER BY path_bytes"
        ).scalars()
        assert sorted(bytes(b) for b in exact) == sorted(n.encode() for n in names)


def test_warning_reasons_are_quoted_too() -> None:
    buffer = io.StringIO()
    write_warnings_csv(buffer, [WarningRow("=x", "read", "bad\rreason")])
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert rows[1] == ["'=x", "read", "bad\rreason"]


def test_tar_links_are_reported_not_dropped(sqlite_app: Kavach, tmp_path: Path) -> None:
    picture = encode(draw_picture(3))
    exhibit = tmp_path / "e"
    exhibit.mkdir()
    with tarfile.open(exhibit / "links.tar", "w") as archive:
        info = tarfile.TarInfo("DCIM/a.jpg")
        info.size = len(picture)
        archive.addfile(info, io.BytesIO(picture))
        link = tarfile.TarInfo("DCIM/b.jpg")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
        hard = tarfile.TarInfo("DCIM/c.jpg")
        hard.type, hard.linkname = tarfile.LNKTYPE, "DCIM/a.jpg"
        archive.addfile(hard)
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out)
    warnings = {w["path"]: w["reason"] for w in read_csv(out / "warnings.csv")}
    assert warnings["links.tar!/DCIM/b.jpg"] == "symlink to /etc/passwd; not followed"
    assert "hard link to DCIM/a.jpg" in warnings["links.tar!/DCIM/c.jpg"]
    paths = {f["path"] for f in read_csv(out / "files.csv")}
    assert "links.tar!/DCIM/a.jpg" in paths
