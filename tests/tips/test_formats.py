"""Every tip format: detected, parsed into normalised values, bad input named."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from kavach.errors import FormatError, InputError, UnknownFormatError
from kavach.tips.formats import TipFormatRegistry, default_tip_formats, load_columns
from kavach.tips.formats.attachments import attachments_for
from kavach.tips.formats.interface import TipParseContext
from kavach.tips.formats.ncmec_json import MAX_BYTES, NcmecJsonFormat
from kavach.tips.model import Identifier, IdentifierKind, Location, ParsedTip
from tests.tips.samples import DATA, SAMPLES, ncrb_xlsx

REGISTRY = default_tip_formats()
IST = timedelta(hours=5, minutes=30)
PHONE = IdentifierKind.PHONE


def _parse(
    name: str, path: Path, **options: object
) -> tuple[list[ParsedTip], TipParseContext]:
    context = TipParseContext(**options)  # type: ignore[arg-type]
    return list(REGISTRY.get(name).parse(path, context)), context


def _ids(tip: ParsedTip, kind: IdentifierKind) -> list[Identifier]:
    return [i for i in tip.identifiers() if i.kind is kind]


# The contract: every registered format has a sample it claims and reads.


def test_every_registered_format_has_a_sample() -> None:
    assert set(REGISTRY.names()) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_format_sniffs_its_sample_highest_and_parses_it(
    name: str, tmp_path: Path
) -> None:
    path = SAMPLES[name](tmp_path)
    head = path.read_bytes()[:65536]
    scores = {fmt.name: fmt.sniff(head, path) for fmt in REGISTRY.all()}
    assert scores[name] == max(scores.values()) > 0
    assert [n for n, s in scores.items() if s == scores[name]] == [name]
    assert REGISTRY.detect(path).name == name
    tips, _ = _parse(name, path, source="NCMEC")
    assert tips and all(t.report_id and t.source == "NCMEC" for t in tips)
    assert all(str(path) in t.where for t in tips)


def test_registry_refuses_a_duplicate_and_names_the_known(tmp_path: Path) -> None:
    registry = TipFormatRegistry()
    registry.register(NcmecJsonFormat())
    with pytest.raises(ValueError, match="twice"):
        registry.register(NcmecJsonFormat())
    with pytest.raises(InputError, match="ncmec-json"):
        REGISTRY.get("nope")
    unknown = tmp_path / "notes.txt"
    unknown.write_text("nothing to see\n")
    with pytest.raises(UnknownFormatError, match=str(unknown)):
        REGISTRY.detect(unknown)


# NCMEC law-enforcement JSON.


def test_ncmec_json_reads_people_and_identifiers(tmp_path: Path) -> None:
    tips, context = _parse("ncmec-json", SAMPLES["ncmec-json"](tmp_path))
    first, second = tips
    assert [t.report_id for t in tips] == ["118700001", "118700002"]
    assert first.esp == "ExampleChat" and first.incident_at is not None
    assert first.incident_at.utcoffset() == IST  # written without a zone
    assert second.received_at is not None and second.received_at.utcoffset() == IST
    assert first.summary and "private group" in first.summary
    person = first.persons[0]
    assert person.name() == "Anoop Varghese" and person.age == 29
    assert person.date_of_birth == "1994-05-17"
    assert person.addresses == ["12 Temple Road, Kochi, Kerala, 682001, IN"]
    assert person.access_to_children is True
    assert person.convicted_sex_offender is False
    assert [i.key() for i in first.identifiers()] == [
        "email||anoop.v@example.in",
        "phone||+919847012345",
        "screen_name|examplechat|kuttan_boy",
        "esp_user_id|examplechat|100045678",
        "device_id||IMEI:356938035643809",
    ]
    # The person's own service wins over the reporting ESP's name.
    assert _ids(second, IdentifierKind.SCREEN_NAME)[0].service == "examplemail chat"
    assert _ids(second, IdentifierKind.EMAIL)[0].value == (
        "rahul@xn--rvcn2fl4cxc8a.xn--rvc1e0am3e"
    )
    assert any("'Cookie' left out" in w for w in context.warnings)


def test_ncmec_json_reads_events_files_and_flags(tmp_path: Path) -> None:
    first, second = _parse("ncmec-json", SAMPLES["ncmec-json"](tmp_path))[0]
    event = first.ip_events[0]
    assert (event.address, event.port, event.event, event.person) == (
        "203.0.113.45",
        51234,
        "Login",
        0,
    )
    assert second.ip_events[0].port == 443
    assert [(f.hash_value, f.hash_type) for f in first.files + second.files] == [
        ("bab305d62b610873e951a6edf3469b5b", "md5"),
        ("f2ee02f44eb3053c4748f9fe63ba8de3ec6202e0", "sha1"),
        ("1fb1e094f80c967a5d2c5f2bafa90c4598b36a2cea2c1bda3a2bcae0a5855acd", "sha256"),
    ]
    assert first.files[0].annotations == ("possibleSelfProduction",)
    assert first.files[0].viewed_by_esp is True
    assert first.annotations == ["sextortion"]
    assert second.annotations == ["minorToMinorInteraction"]
    assert (first.high_priority, second.high_priority) == (True, False)
    assert first.prior_reports == ["118600042", "118600043"]
    assert first.group_identifier == "GRP-7"
    assert first.location == Location("Kochi", "Kerala", "IN")


def test_ncmec_json_two_reports_share_one_phone(tmp_path: Path) -> None:
    first, second = _parse("ncmec-json", SAMPLES["ncmec-json"](tmp_path))[0]
    assert _ids(first, PHONE) == _ids(second, PHONE)
    assert _ids(first, PHONE)[0].value == "+919847012345"


@pytest.mark.parametrize(
    "content",
    [
        '{"reportId": 5, "reportedInformation": {}}',
        '[{"reportId": "5", "reportedInformation": {}}]',
    ],
)
def test_ncmec_json_reads_one_object_or_an_array(content: str, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(content)
    assert REGISTRY.detect(path).name == "ncmec-json"
    assert [t.report_id for t in _parse("ncmec-json", path)[0]] == ["5"]


def _json_with_bad_phone(tmp_path: Path) -> Path:
    path = tmp_path / "bad.json"
    good = '{"reportId": "1", "reportedInformation": {}}'
    bad = (
        '{"reportId": "2", "reportedInformation": {"reportedPeople": '
        '{"reportedPersons": [{"phones": {"phones": [{"value": "12"}]}}]}}}'
    )
    path.write_text(f"[{good}, {bad}, {good.replace('1', '3')}]")
    return path


def test_a_broken_report_is_refused_whole_by_default(tmp_path: Path) -> None:
    path = _json_with_bad_phone(tmp_path)
    with pytest.raises(FormatError) as error:
        _parse("ncmec-json", path)
    message = str(error.value)
    assert str(path) in message and "report 2" in message
    assert "field reportedPersons[1].phones" in message and "'12'" in message


def test_skip_invalid_records_the_rejected_report_and_goes_on(tmp_path: Path) -> None:
    path = _json_with_bad_phone(tmp_path)
    tips, context = _parse("ncmec-json", path, skip_invalid=True)
    assert [t.report_id for t in tips] == ["1", "3"]
    [rejected] = context.rejected
    assert rejected.where == f"{path}, report 2"
    assert "field reportedPersons[1].phones" in rejected.reason


@pytest.mark.parametrize(
    ("content", "where", "why"),
    [
        ('[{"dateReceived": "2024-01-01"}]', "report 1", "no reportId"),
        ('{"reportId": "9", "dateReceived": "01/02/2024"}', "report 9", "dateReceived"),
        (
            '{"reportId": "9", "uploadedFiles": {"uploadedFiles": '
            '[{"verificationHash": "abc"}]}}',
            "report 9",
            "uploadedFiles[1].verificationHash",
        ),
        (
            '{"reportId": "9", "reportedPeople": {"reportedPersons": [{'
            '"sourceInformation": {"sourceCaptures": [{"captureType": "IP Address",'
            '"value": "203.0.113.5", "port": "70000"}]}}]}}',
            "report 9",
            "sourceCaptures[1].port",
        ),
    ],
)
def test_ncmec_json_bad_values_name_report_and_field(
    content: str, where: str, why: str, tmp_path: Path
) -> None:
    path = tmp_path / "r.json"
    path.write_text(content)
    with pytest.raises(FormatError) as error:
        _parse("ncmec-json", path)
    assert f"{path}, {where}" in str(error.value) and why in str(error.value)


def test_ncmec_json_broken_or_huge_file_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"reportId": "1",\n "x": ')
    with pytest.raises(FormatError, match="line 2"):
        _parse("ncmec-json", broken)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is written or read
    with pytest.raises(FormatError, match="256 MiB"):
        _parse("ncmec-json", huge)


# Provider XML.


def test_cybertip_xml_reads_the_reported_person_never_the_reporter(
    tmp_path: Path,
) -> None:
    tips, context = _parse("cybertip-xml", SAMPLES["cybertip-xml"](tmp_path))
    first, second = tips
    assert [t.report_id for t in tips] == ["118700101", "118700102"]  # attr, element
    assert [i.key() for i in first.identifiers()] == [
        "phone||+919847023456",
        "email||sreeja.p@example.com",
        "screen_name|exampleshare|sreeja_thrissur",
        "esp_user_id|exampleshare|sp-44821",
        "device_id||IMEI:356938035643809",  # the Luhn digit added to 14 digits
    ]
    assert any("'Advertising Cookie' left out" in w for w in context.warnings)
    everything = " ".join(i.key() for t in tips for i in t.identifiers())
    assert "safety-team" not in everything and "99999" not in everything
    assert "recipient@" not in everything
    person = first.persons[0]
    assert person.name() == "Sreeja Pillai" and person.display_name == "Sreeja P"
    assert person.addresses == ["House 7, Market Lane, Thrissur, Kerala"]
    assert (person.age, person.date_of_birth) == (31, "1993-01-20")
    assert first.incident_at is not None and first.incident_at.utcoffset() == IST
    assert (
        second.incident_at is not None
        and second.incident_at.utcoffset() == timedelta(0)
    )
    events = [(e.address, e.port, e.event, e.person) for e in first.ip_events]
    assert events == [
        ("100.64.12.9", None, "Other", None),
        ("203.0.113.77", 40211, "Login", 0),
        ("203.0.113.78", 40212, "Upload", None),
    ]


def test_cybertip_xml_reads_events_files_and_flags(tmp_path: Path) -> None:
    first, second = _parse("cybertip-xml", SAMPLES["cybertip-xml"](tmp_path))[0]
    [file] = first.files
    assert (file.name, file.original_name, file.hash_value, file.hash_type) == (
        "a1.jpg",
        "beach.jpg",
        "779b4971bf7f634427159b4013c30ab9",
        "md5",
    )
    assert file.classification == "A1" and file.annotations == ("generativeAi",)
    assert second.files[0].hash_type == "sha256"
    assert first.annotations == ["sextortion"] and first.high_priority
    assert not second.high_priority
    assert first.prior_reports == ["118600501"] and first.group_identifier == "GRP-12"
    assert first.location == Location("Thrissur", "Kerala", "IN")
    assert (
        _ids(second, IdentifierKind.SCREEN_NAME)[0].service == "exampleshare messenger"
    )


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE report [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<reports><report reportId="1"><incidentSummary><incidentType>&lol3;</incidentType>
</incidentSummary></report></reports>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE report [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<report reportId="1"><incidentSummary><incidentType>&secret;</incidentType>
</incidentSummary></report>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE report SYSTEM "https://example.com/report.dtd">
<report reportId="1"><incidentSummary/></report>
"""


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_dtds_and_entities_are_refused_before_any_report(
    content: str, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(content)
    assert REGISTRY.detect(path).name == "cybertip-xml"
    yielded: list[ParsedTip] = []
    with pytest.raises(FormatError) as error:
        for tip in REGISTRY.get("cybertip-xml").parse(path, TipParseContext()):
            yielded.append(tip)
    assert yielded == []
    assert str(path) in str(error.value) and "not allowed" in str(error.value)
    assert "billion laughs" in str(error.value)


@pytest.mark.parametrize(
    ("body", "where", "why"),
    [
        ("<report><incidentSummary/></report>", "report 1", "no reportId"),
        (
            '<report reportId="7"><reportId>8</reportId></report>',
            "report 1",
            "differ",
        ),
        (
            '<report reportId="7"><personOrUserReported><personOrUserReportedPerson>'
            "<email>not-an-address</email></personOrUserReportedPerson>"
            "</personOrUserReported></report>",
            "report 7",
            "field personOrUserReported[1]/email",
        ),
        (
            '<report reportId="7"><fileDetails><originalFileHash hashType="SHA1">'
            "779b4971bf7f634427159b4013c30ab9</originalFileHash></fileDetails></report>",
            "report 7",
            "says SHA1",
        ),
    ],
)
def test_cybertip_xml_bad_reports_are_named(
    body: str, where: str, why: str, tmp_path: Path
) -> None:
    path = tmp_path / "r.xml"
    path.write_text(f"<reports>{body}</reports>")
    with pytest.raises(FormatError) as error:
        _parse("cybertip-xml", path)
    assert f"{path}, {where}" in str(error.value) and why in str(error.value)
    _, context = _parse("cybertip-xml", path, skip_invalid=True)
    assert context.rejected[0].where == f"{path}, {where}"


def test_cybertip_xml_broken_document_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text('<reports>\n<report reportId="1">\n</reports>')
    with pytest.raises(FormatError, match="line 3"):
        _parse("cybertip-xml", path)


# The forwarded sheet.


def test_sheet_csv_aligns_ips_and_files_by_position(tmp_path: Path) -> None:
    first, second = _parse("ncrb-sheet", SAMPLES["ncrb-sheet"](tmp_path))[0]
    assert first.where.endswith("row 2") and second.where.endswith("row 3")
    assert [i.key() for i in first.identifiers()] == [
        "phone||+919847034567",
        "email||biju.t@example.in",
        "screen_name|examplechat|biju_t",
        "esp_user_id|examplechat|2001567",
    ]
    events = [(e.address, e.port, e.at and e.at.utcoffset()) for e in first.ip_events]
    assert events == [
        ("203.0.113.10", 50001, IST),
        ("203.0.113.11", 50002, timedelta(0)),
    ]
    assert [(f.name, f.hash_type) for f in first.files] == [
        ("a.jpg", "md5"),
        ("b.jpg", "sha1"),
    ]
    assert first.files[1].hash_value == "45bb3325425422e993f8cfaf9a83a2f4598ad957"
    assert [i.value for i in _ids(second, PHONE)] == ["+919847045678", "+919847012345"]
    assert _ids(second, IdentifierKind.ESP_USER_ID)[0].service == "examplemail chat"
    assert second.ip_events[0].port is None and second.incident_at is None
    assert first.location == Location("Kottayam", "Kerala", "IN")


def test_sheet_xlsx_reads_cell_types_and_skips_empty_rows(tmp_path: Path) -> None:
    path = ncrb_xlsx(tmp_path)
    assert REGISTRY.detect(path).name == "ncrb-sheet"
    first, second = _parse("ncrb-sheet", path)[0]
    assert (first.report_id, second.report_id) == ("118700401", "118700402")
    assert second.where.endswith("row 4")  # row 3 is empty
    assert _ids(first, PHONE)[0].value == "+919847012345"  # a number cell
    assert first.received_at is not None and first.received_at.utcoffset() == IST
    assert first.ip_events[0].at is not None
    assert first.ip_events[0].at.utcoffset() == IST
    assert second.received_at is not None
    assert second.received_at.utcoffset() == timedelta(0)


def test_a_columns_map_reads_another_layout(tmp_path: Path) -> None:
    columns = load_columns(DATA / "columns_map.toml")
    assert columns["report_id"] == "Acknowledgement No"
    path = DATA / "ncrb_layout2.csv"
    assert REGISTRY.detect(path).name == "ncrb-sheet"
    [tip] = _parse("ncrb-sheet", path, columns=columns)[0]
    assert tip.report_id == "118700301" and tip.esp == "ExampleChat"
    assert [i.key() for i in tip.identifiers()] == [
        "phone||+919847012345",
        "email||meera.k@example.in",
    ]
    assert [(e.address, e.port) for e in tip.ip_events] == [("198.51.100.40", 61000)]
    with pytest.raises(FormatError, match="missing column 'report_id'") as error:
        _parse("ncrb-sheet", path)
    assert str(path) in str(error.value) and "row 1" in str(error.value)


def test_a_mapped_header_missing_from_the_sheet_is_named(tmp_path: Path) -> None:
    with pytest.raises(FormatError) as error:
        _parse("ncrb-sheet", DATA / "ncrb_sheet.csv", columns={"ip": "Suspect IP"})
    assert "'Suspect IP' (mapped from ip) is not in the header" in str(error.value)
    assert "ncrb_sheet.csv, row 1" in str(error.value)


def test_load_columns_refuses_an_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "MAP.toml"
    path.write_text('[columns]\nreport_id = "Ack"\nsuspect_shoe = "Shoe"\n')
    with pytest.raises(InputError) as error:
        load_columns(path)
    assert str(path) in str(error.value) and "'suspect_shoe'" in str(error.value)
    path.write_text('report_id = "Ack"\n')
    with pytest.raises(InputError, match=r"no \[columns\] table"):
        load_columns(path)


HEADER = "report_id,suspect_phone,incident_time,ip,ip_time,ip_port,file_hashes\n"


@pytest.mark.parametrize(
    ("row", "where", "why"),
    [
        ("5,12345,,,,,", "row 3, field suspect_phone", "'12345'"),
        ("5,,31/12/2024 10:00,,,,", "row 3, field incident_time", "not a time"),
        ("5,,,203.0.113.300,,,", "row 3, field ip", "not an IP address"),
        ("5,,,203.0.113.3,,99999,", "row 3, field ip_port", "not a port"),
        ("5,,,203.0.113.3;203.0.113.4,2024-01-01,,", "row 3, field ip_time", "align"),
        ("5,,,,,,xyz", "row 3, field file_hashes", "not an MD5"),
        (",98470 12345,,,,,", "row 3, field report_id", "no report id"),
    ],
)
def test_sheet_bad_values_name_file_row_and_field(
    row: str, where: str, why: str, tmp_path: Path
) -> None:
    path = tmp_path / "forward.csv"
    path.write_text(HEADER + "4,+91 98470 12345,,,,,\n" + row + "\n")
    with pytest.raises(FormatError) as error:
        _parse("ncrb-sheet", path)
    assert f"{path}, {where}: " in str(error.value) and why in str(error.value)
    tips, context = _parse("ncrb-sheet", path, skip_invalid=True)
    assert [t.report_id for t in tips] == ["4"]
    assert [r.where for r in context.rejected] == [f"{path}, {where}"]


def test_sheet_sniff_needs_a_sheet_suffix_and_a_header(tmp_path: Path) -> None:
    fmt = REGISTRY.get("ncrb-sheet")
    assert fmt.sniff(b"Report_ID,ip\n1,203.0.113.1\n", Path("a.csv")) == 90
    assert 0 < fmt.sniff(b"Ack No,Mobile\n", Path("a.csv")) < 90
    assert fmt.sniff(b"report_id,ip\n", Path("a.txt")) == 0
    assert fmt.sniff(b"", Path("a.csv")) == 0


# Attachments.


def test_attachments_are_the_pdfs_naming_the_report(tmp_path: Path) -> None:
    report = SAMPLES["ncrb-sheet"](tmp_path)
    (tmp_path / "CT_118700201.PDF").write_bytes(b"%PDF-1.4 synthetic one")
    (tmp_path / "118700201-summary.pdf").write_bytes(b"%PDF-1.4 synthetic two")
    (tmp_path / "9118700201.pdf").write_bytes(b"%PDF another report")
    (tmp_path / "118700201.txt").write_bytes(b"not a pdf")
    found = attachments_for(report, "118700201")
    assert [Path(a.path).name for a in found] == [
        "118700201-summary.pdf",
        "CT_118700201.PDF",
    ]
    assert found[1].sha256 == hashlib.sha256(b"%PDF-1.4 synthetic one").hexdigest()
    assert found[1].size == len(b"%PDF-1.4 synthetic one")
    assert attachments_for(report, "") == []


def test_cybertip_xml_keeps_a_file_whose_hash_kavach_cannot_match(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.xml"
    path.write_text(
        '<report reportId="7"><fileDetails><fileName>x.jpg</fileName>'
        '<originalFileHash hashType="PhotoDNA">AAAA/BBB=</originalFileHash>'
        "</fileDetails></report>"
    )
    [tip], context = _parse("cybertip-xml", path)
    assert tip.files[0].name == "x.jpg" and tip.files[0].hash_value is None
    assert any("PhotoDNA hash left out" in w for w in context.warnings)


def test_a_sheet_header_written_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("report_id,IP,ip\n1,203.0.113.1,203.0.113.2\n")
    with pytest.raises(FormatError, match="'ip' appears 2 times") as error:
        _parse("ncrb-sheet", path)
    assert f"{path}, row 1" in str(error.value)
