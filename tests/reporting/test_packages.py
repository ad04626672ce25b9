"""Search packages: CSV rows per target and address, a printable HTML, an index."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kavach.reporting.packages import (
    INDEX_COLUMNS,
    PACKAGE_COLUMNS,
    PackageTarget,
    PackageTip,
    StationPackage,
    render_package,
    write_packages,
)

REPORTED_MD5 = "0123456789abcdef0123456789abcdef"
REPORTED_FILE = "IMG_20200101_0001.jpg"
# WhatsApp keeps a media file's SHA-256 in base64.
REPORTED_BASE64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def _tip(report_id: str, *, summary: str | None = None) -> PackageTip:
    return PackageTip(
        report_id=report_id,
        source="ncmec",
        received=datetime(2020, 11, 30, 4, 30, tzinfo=UTC),
        esp="Instagram",
        incident_type="Child Pornography (possession, manufacture, and distribution)",
        files=3,
        files_on_lists=2,
        summary=summary,
    )


def _target(
    target_id: int, score: int, names: tuple[str, ...], addresses: tuple[str, ...]
) -> PackageTarget:
    return PackageTarget(
        target_id=target_id,
        score=score,
        explanation=f"score {score}: 2 tips, files on hash lists",
        names=names,
        addresses=addresses,
        identifiers=("+919847011111", "kuttan (instagram)"),
        subscribers=("Kuttan K (Kayal Net)",),
        tips=(_tip(f"TIP-{target_id}-1"), _tip(f"TIP-{target_id}-2")),
        sections=("IT Act 67B", "POCSO 15(1)"),
    )


def _package(station: str, targets: tuple[PackageTarget, ...]) -> StationPackage:
    return StationPackage(
        operation="P-Hunt 20.2",
        operation_dates="2020-12-05 to 2020-12-06",
        police_district="Thiruvananthapuram City",
        station=station,
        targets=targets,
        prepared_by="SI Asha (CCSE)",
        prepared_at=datetime(2020, 12, 4, 12, 0, tzinfo=UTC),
    )


@pytest.fixture
def packages() -> list[StationPackage]:
    summary = (
        f"Uploaded {REPORTED_FILE} (MD5 {REPORTED_MD5}, WhatsApp {REPORTED_BASE64})"
        " from a phone."
    )
    leaked = PackageTarget(
        target_id=30,
        score=40,
        explanation="one tip",
        names=("Kuttan <script>alert(1)</script>",),
        addresses=(),
        identifiers=(),
        subscribers=(),
        tips=(_tip("TIP-30-1", summary=summary),),
        sections=("IT Act 67B",),
    )
    first = _package(
        "Peroorkada",
        (
            _target(11, 55, ("Anil", '=HYPERLINK("x")'), ("House 1", "House 2")),
            _target(12, 90, ("Binu",), ("Flat 3", "-Flat 4", "Flat 5")),
            leaked,
        ),
    )
    second = _package("Museum", (_target(21, 70, ("Chandran",), ("Villa 9",)),))
    return [first, second]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_one_row_per_target_and_address_highest_score_first(
    tmp_path: Path, packages: list[StationPackage]
) -> None:
    write_packages(tmp_path, packages)
    rows = _read(tmp_path / "peroorkada.csv")
    assert list(rows[0]) == PACKAGE_COLUMNS
    ids_and_addresses = [(r["target_id"], r["address"]) for r in rows]
    assert ids_and_addresses == [
        ("12", "Flat 3"),
        ("12", "'-Flat 4"),
        ("12", "Flat 5"),
        ("11", "House 1"),
        ("11", "House 2"),
        ("30", ""),
    ]
    assert [int(r["score"]) for r in rows] == [90, 90, 90, 55, 55, 40]
    row = rows[3]
    assert row["operation"] == "P-Hunt 20.2"
    assert row["station"] == "Peroorkada"
    # A leading "+" is a formula prefix too: phone numbers come back quoted.
    assert row["identifiers"] == "'+919847011111; kuttan (instagram)"
    assert row["report_ids"] == "TIP-11-1; TIP-11-2"
    assert row["sections"] == "IT Act 67B; POCSO 15(1)"


def test_csv_cells_cannot_start_a_formula(
    tmp_path: Path, packages: list[StationPackage]
) -> None:
    write_packages(tmp_path, packages)
    rows = _read(tmp_path / "peroorkada.csv")
    assert rows[3]["names"] == 'Anil; =HYPERLINK("x")'
    lone = _package("Vattiyoorkavu", (_target(1, 1, ("=cmd|' /C calc'!A0",), ()),))
    write_packages(tmp_path, [lone])
    cells = [v for r in _read(tmp_path / "vattiyoorkavu.csv") for v in r.values()]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


class _Tags(HTMLParser):
    """Every start tag and every id, to check what the page holds."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [value or "" for name, value in attrs if name == "id"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def test_html_holds_every_target_the_duties_and_blank_forms(
    tmp_path: Path, packages: list[StationPackage]
) -> None:
    write_packages(tmp_path, packages)
    html = (tmp_path / "peroorkada.html").read_text(encoding="utf-8")
    page = _parse(html)
    targets = [i for i in page.ids if i.startswith("target-")]
    assert targets == ["target-12", "target-11", "target-30"]
    text = " ".join(" ".join(page.text).split())
    assert "BNSS s.105" in text and "Magistrate without delay" in text
    assert "BSA s.63" in text and "Child Welfare Committee" in text
    assert "P-Hunt 20.2" in text and "Thiruvananthapuram City" in text
    assert "2020-12-04 17:30 IST" in text  # prepared at, in IST
    assert "3 files, 2 on hash lists" in text
    assert "Flat 5" in text and "Kuttan K (Kayal Net)" in text
    assert html.count('class="form search-record"') == 3
    assert "Recording SHA-256" in text and "Children at the place" in text
    assert "page-break-before: always" in html and "size: A4" in html


def test_html_loads_nothing_and_runs_nothing(
    tmp_path: Path, packages: list[StationPackage]
) -> None:
    html = render_package(packages[0])
    tags = set(_parse(html).tags)
    assert not tags & {"img", "script", "link", "iframe", "object", "embed", "video"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "http://" not in html and "https://" not in html and "src=" not in html


def test_html_carries_no_file_name_or_hash_of_reported_material(
    packages: list[StationPackage],
) -> None:
    html = render_package(packages[0])
    assert REPORTED_MD5 not in html and REPORTED_FILE not in html
    assert REPORTED_BASE64[:20] not in html
    assert "from a phone" in html


def test_stations_with_one_slug_get_distinct_files(tmp_path: Path) -> None:
    stations = ["Fort", "FORT", "fort!", "Index"]
    written = write_packages(
        tmp_path, [_package(s, (_target(1, 5, ("A",), ("H",)),)) for s in stations]
    )
    names = [p.name for p in written]
    assert names == [
        "fort.csv", "fort.html", "fort-2.csv", "fort-2.html",
        "fort-3.csv", "fort-3.html", "index-station.csv", "index-station.html",
        "index.csv",
    ]  # fmt: skip
    assert all(p.exists() for p in written)


def test_index_lists_each_station_with_its_files(
    tmp_path: Path, packages: list[StationPackage]
) -> None:
    written = write_packages(tmp_path, packages)
    assert written[-1] == tmp_path / "index.csv"
    rows = _read(tmp_path / "index.csv")
    assert list(rows[0]) == INDEX_COLUMNS
    assert rows == [
        {
            "station": "Peroorkada",
            "police_district": "Thiruvananthapuram City",
            "targets": "3",
            "csv": "peroorkada.csv",
            "html": "peroorkada.html",
        },
        {
            "station": "Museum",
            "police_district": "Thiruvananthapuram City",
            "targets": "1",
            "csv": "museum.csv",
            "html": "museum.html",
        },
    ]


def test_a_station_without_targets_still_gets_its_package(tmp_path: Path) -> None:
    write_packages(tmp_path, [_package("Pettah", ())])
    assert _read(tmp_path / "pettah.csv") == []
    assert 'id="no-targets"' in (tmp_path / "pettah.html").read_text(encoding="utf-8")
