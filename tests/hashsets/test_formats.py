"""Every hash-list format: detected by content, parsed, lowercased, errors named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kavach.errors import FormatError
from kavach.hashsets.categories import status_for
from kavach.hashsets.formats import default_registry
from kavach.hashsets.formats.interface import ParseContext
from kavach.hashsets.model import Deletion, ParsedEntry, Role, Status
from tests.helpers import samples

REGISTRY = default_registry()
CASES = [
    (name, file_name, writer)
    for name, items in samples.SAMPLES.items()
    for file_name, writer in items
]


def _parse(
    name: str, path: Path
) -> tuple[list[ParsedEntry], list[Deletion], ParseContext]:
    context = ParseContext(str(path))
    items = list(REGISTRY.get(name).parse(path, context))
    entries = [i for i in items if isinstance(i, ParsedEntry)]
    deletions = [i for i in items if isinstance(i, Deletion)]
    return entries, deletions, context


def test_every_registered_format_has_a_sample() -> None:
    assert set(REGISTRY.names()) == set(samples.SAMPLES)


@pytest.mark.parametrize(("name", "file_name", "writer"), CASES)
def test_format_is_detected_and_parsed(
    name: str, file_name: str, writer: object, tmp_path: Path
) -> None:
    path = tmp_path / file_name
    expected = writer(path)  # type: ignore[operator]
    assert REGISTRY.detect(path).name == name
    entries, _, _ = _parse(name, path)
    got = [
        {alg.value: value for alg, value in e.digests().items()}
        | ({"frames": str(len(e.frames))} if e.frames else {})
        for e in entries
    ]
    assert got == expected


def test_vics_keeps_category_flags_and_scheme(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    samples.vics_2(path)
    entries, _, context = _parse("vics", path)
    assert context.scheme == "projectvic-us"
    assert entries[0].category == "1" and entries[1].category is None
    assert entries[0].attributes["VictimIdentified"] == "true"
    assert entries[0].partner_id == "1" and entries[0].size == 1234
    assert entries[0].name == "a.jpg"


def test_vics_cases_envelope_reads_nested_media(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    samples.vics_1_cases(path)
    entries, _, _ = _parse("vics", path)
    assert [e.category for e in entries] == ["2", "5"]


def test_vics_uk_region_uses_caid_scheme(tmp_path: Path) -> None:
    path = tmp_path / "uk.json"
    path.write_text(
        '{"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/'
        'DataModels/2.0.xml/UK/$metadata#Media", "value": [{"MD5": "'
        + samples.MD5_A
        + '", "Category": 3}]}'
    )
    _, _, context = _parse("vics", path)
    assert context.scheme == "caid-uk"


def test_icse_tolerates_extra_column_and_reports_33_char_md5(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    samples.icse(path)
    entries, _, context = _parse("icse", path)
    assert entries[0].partner_id == "501" and entries[0].category == "baseline"
    assert entries[1].md5 is None
    assert any(
        "33-character MD5" in w.message and w.where == "line 3"
        for w in context.warnings
    )


def test_ncmec_reads_deletions_classification_and_member(tmp_path: Path) -> None:
    path = tmp_path / "n.xml"
    samples.ncmec(path)
    entries, deletions, _ = _parse("ncmec", path)
    assert [d.partner_id for d in deletions] == ["img-0"]
    assert entries[0].category == "A1" and entries[0].attributes["member_id"] == "42"
    assert entries[1].media_type == "video"


def test_nsrl_rds_gives_one_entry_per_sha256(tmp_path: Path) -> None:
    path = tmp_path / "rds.db"
    samples.nsrl_rds(path)
    entries, _, _ = _parse("nsrl-rds", path)
    assert [e.name for e in entries] == ["b.exe", "a.dll"]


def test_nsrl_rds_flags_files_of_tool_products(tmp_path: Path) -> None:
    # a.dll is in package 1 (ordinary) and package 2 (VeraCrypt): one package a
    # tool rule names is enough; b.exe stays an ordinary known file.
    path = tmp_path / "rds.db"
    samples.nsrl_rds(path)
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO PKG (package_id, name, version) VALUES (?, ?, ?)",
        [(1, "Microsoft Office", "2019"), (2, "VeraCrypt", "1.26")],
    )
    connection.commit()
    connection.close()
    entries, _, _ = _parse("nsrl-rds", path)
    by_name = {e.name: e for e in entries}
    assert (by_name["a.dll"].category, by_name["a.dll"].series) == ("T", "VeraCrypt")
    assert (by_name["b.exe"].category, by_name["b.exe"].series) == ("", None)
    assert status_for("nsrl", "T", Role.KNOWN) is Status.REVIEW  # a hit, not known


def test_nsrl_legacy_keeps_special_code(tmp_path: Path) -> None:
    path = tmp_path / "NSRLFile.txt"
    samples.nsrl_legacy(path)
    entries, _, _ = _parse("nsrl-legacy", path)
    assert [e.category for e in entries] == ["", "M"]


def test_hashdeep_keeps_commas_in_names(tmp_path: Path) -> None:
    path = tmp_path / "h.txt"
    samples.hashdeep(path)
    entries, _, _ = _parse("hashdeep", path)
    assert entries[0].name == "/evidence/a,with,commas.jpg" and entries[0].size == 10


def test_encase_reads_set_name(tmp_path: Path) -> None:
    path = tmp_path / "s.hash"
    samples.encase(path)
    _, _, context = _parse("encase", path)
    assert context.title == "Known bad set"


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("plain", f"{samples.MD5_A}  a\nnot-a-digest  b\n", "line 2"),
        ("plain", f"{samples.MD5_A}  a\n{samples.MD5_B[:-1]}g  b\n", "line 2"),
        ("hashdeep", "%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n10,zz,a\n", "line 3"),
        ("icse", "Hash;Name\nabc;x\n", "line 1"),
        ("pdq", f"pdq {samples.PDQ_A}\npdq 1234\n", "line 2"),
        (
            "nsrl-legacy",
            '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode",'
            '"OpSystemCode","SpecialCode"\n"XYZ","","","a",1,1,"W",""\n',
            "line 2",
        ),
        (
            "vics",
            '{"@odata.context": "x/2.0.xml/US/$metadata#Media", "value": '
            '[{"MD5": "' + samples.MD5_A + '"}, {"MD5": "nothex"}]}',
            "Media record 2",
        ),
        (
            "ncmec",
            "<queryResult><images><image><id>1</id>\n<fingerprints><md5>zz"
            "</md5></fingerprints></image></images></queryResult>",
            "image record 1",
        ),
    ],
)
def test_malformed_input_names_the_place(
    name: str, content: str, where: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad"
    path.write_text(content)
    with pytest.raises(FormatError) as error:
        _parse(name, path)
    assert where in str(error.value)
    assert str(path) in str(error.value)


def test_broken_json_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text(
        '{"@odata.context": "x/2.0.xml/US/$metadata#Media", "value": '
        '[{"MD5": "' + samples.MD5_A + '"}, {"MD5": '
    )
    with pytest.raises(FormatError, match="after Media record 1"):
        _parse("vics", path)


def test_encase_truncated_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.hash"
    samples.encase(path)
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(FormatError, match="declares 2 records"):
        _parse("encase", path)


def test_unknown_file_is_refused_with_the_format_names(tmp_path: Path) -> None:
    path = tmp_path / "random.bin"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(Exception, match="--format"):
        REGISTRY.detect(path)
