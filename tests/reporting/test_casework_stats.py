"""Casework statistics: tables by each grouping, periods, comparisons and charts."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from defusedxml import ElementTree
from matplotlib import image

from kavach.reporting.casework_stats import (
    FIGURES,
    Change,
    Fact,
    Grouping,
    Measure,
    compare,
    tabulate,
)
from kavach.reporting.charts import draw_charts

M = Measure
HUNT = "P-Hunt 20.2"
EKM, TSR = "ERNAKULAM", "THRISSUR"
EKM_PS, TSR_PS = "Ernakulam Cyber", "Thrissur Cyber"
# 00:30 on 1 December in IST, still November in UTC.
MIDNIGHT_IN_IST = datetime(2020, 11, 30, 19, 0, tzinfo=UTC)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+05:30")


def _fact(
    measure: Measure,
    at: str | datetime,
    district: str | None = EKM,
    station: str | None = EKM_PS,
    operation: str | None = None,
    key: str | None = None,
) -> Fact:
    when = _at(at) if isinstance(at, str) else at
    return Fact(measure, when, district, station, operation, key)


def _raid(measure: Measure, district: str = EKM, key: str | None = None) -> Fact:
    station = EKM_PS if district == EKM else TSR_PS
    return _fact(measure, "2020-12-06T06:00", district, station, HUNT, key)


FACTS = [
    _fact(M.TIPS_RECEIVED, "2020-11-10T11:00"),
    _fact(M.TIPS_RECEIVED, MIDNIGHT_IN_IST, TSR, TSR_PS),
    _fact(M.TIPS_RECEIVED, "2020-12-02T09:00"),
    _fact(M.TIPS_ROUTED, "2020-12-02T10:00"),
    _raid(M.SEARCHES),
    _raid(M.SEARCHES),
    _raid(M.LOCATIONS, key="house a"),
    _raid(M.LOCATIONS, key="house a"),  # searched twice on the day: one location
    _raid(M.LOCATIONS, TSR, key="house b"),
    _fact(M.LOCATIONS, "2021-01-10T07:00", key="house a"),  # searched again later
    _raid(M.DEVICES_SEIZED),
    _raid(M.DEVICES_SEIZED),
    _raid(M.DEVICES_SEIZED, TSR),
    _raid(M.FIRS),
    _raid(M.SEIZURE_REPORTS, TSR),
    _fact(M.ARRESTS, "2020-12-07T15:00", operation=HUNT),
    _fact(M.CHARGE_SHEETS, "2021-01-20T12:00", station="Aluva"),
    _fact(M.CONVICTIONS, "2021-01-25T12:00", district=None, station=None),
]

TOTAL = {
    "tips_received": 3,
    "tips_routed": 1,
    "searches": 2,
    "locations": 2,  # house a and house b, though three groups may list house a
    "devices_seized": 3,
    "firs": 1,
    "seizure_reports": 1,
    "cases": 2,
    "arrests": 1,
    "charge_sheets": 1,
    "convictions": 1,
}


def _row(by: Grouping, label: str, **figures: int) -> dict[str, int | str]:
    return {by.value: label, **dict.fromkeys(FIGURES, 0), **figures}


def test_by_month_counts_each_ist_month_and_the_total() -> None:
    table = tabulate(FACTS, Grouping.MONTH)
    by = Grouping.MONTH
    assert table.rows == [
        _row(by, "2020-11", tips_received=1),
        _row(
            by, "2020-12", tips_received=2, tips_routed=1, searches=2, locations=2,
            devices_seized=3, firs=1, seizure_reports=1, cases=2, arrests=1,
        ),
        _row(by, "2021-01", locations=1, charge_sheets=1, convictions=1),
    ]  # fmt: skip
    assert table.total == {"month": "total", **TOTAL}


def test_by_district_puts_no_district_last() -> None:
    table = tabulate(FACTS, Grouping.DISTRICT)
    by = Grouping.DISTRICT
    assert table.rows == [
        _row(
            by, EKM, tips_received=2, tips_routed=1, searches=2, locations=1,
            devices_seized=2, firs=1, cases=1, arrests=1, charge_sheets=1,
        ),
        _row(
            by, TSR, tips_received=1, locations=1, devices_seized=1,
            seizure_reports=1, cases=1,
        ),
        _row(by, "(none)", convictions=1),
    ]  # fmt: skip
    assert table.total == {"district": "total", **TOTAL}


def test_by_station_sorts_by_name() -> None:
    table = tabulate(FACTS, Grouping.STATION)
    assert [row["station"] for row in table.rows] == [
        "Aluva",
        EKM_PS,
        TSR_PS,
        "(none)",
    ]
    assert table.rows[0] == _row(Grouping.STATION, "Aluva", charge_sheets=1)
    assert table.rows[1]["charge_sheets"] == 0
    assert table.rows[1]["tips_received"] == 2


def test_by_operation_counts_locations_distinct_per_group_not_summed() -> None:
    table = tabulate(FACTS, Grouping.OPERATION)
    by = Grouping.OPERATION
    assert table.rows == [
        _row(
            by, HUNT, searches=2, locations=2, devices_seized=3, firs=1,
            seizure_reports=1, cases=2, arrests=1,
        ),
        _row(
            by, "(none)", tips_received=3, tips_routed=1, locations=1,
            charge_sheets=1, convictions=1,
        ),
    ]  # fmt: skip
    assert sum(int(row["locations"]) for row in table.rows) == 3
    assert table.total["locations"] == 2


def test_locations_without_a_key_each_count() -> None:
    facts = [_raid(M.LOCATIONS), _raid(M.LOCATIONS), _raid(M.LOCATIONS, key="x")]
    assert tabulate(facts, Grouping.OPERATION).total["locations"] == 3


def test_an_evening_in_utc_on_the_last_of_november_is_december_in_ist() -> None:
    fact = _fact(M.TIPS_RECEIVED, MIDNIGHT_IN_IST)
    assert fact.group(Grouping.MONTH) == "2020-12"
    assert fact.ist_date == date(2020, 12, 1)
    last_of_month = _fact(M.TIPS_RECEIVED, datetime(2020, 11, 30, 18, 29, tzinfo=UTC))
    assert last_of_month.group(Grouping.MONTH) == "2020-11"


def test_period_filter_is_on_the_ist_date_and_inclusive() -> None:
    december = tabulate(FACTS, Grouping.MONTH, date(2020, 12, 1), date(2020, 12, 31))
    assert [row["month"] for row in december.rows] == ["2020-12"]
    assert december.total["tips_received"] == 2
    assert december.total["locations"] == 2
    first_day = tabulate(FACTS, Grouping.DISTRICT, date(2020, 12, 1), date(2020, 12, 1))
    assert first_day.rows == [_row(Grouping.DISTRICT, TSR, tips_received=1)]
    november = tabulate(FACTS, Grouping.MONTH, end=date(2020, 11, 30))
    assert november.total["tips_received"] == 1
    from_january = tabulate(FACTS, Grouping.MONTH, start=date(2021, 1, 1))
    assert from_january.total == {
        "month": "total",
        **dict.fromkeys(FIGURES, 0),
        "locations": 1,
        "charge_sheets": 1,
        "convictions": 1,
    }


def test_months_without_facts_still_get_a_row() -> None:
    facts = [_fact(M.ARRESTS, "2021-01-03T10:00"), _fact(M.ARRESTS, "2021-03-03T10:00")]
    gaps = tabulate(facts, Grouping.MONTH)
    assert [(r["month"], r["arrests"]) for r in gaps.rows] == [
        ("2021-01", 1),
        ("2021-02", 0),
        ("2021-03", 1),
    ]
    year_end = tabulate([], Grouping.MONTH, date(2020, 11, 15), date(2021, 1, 2))
    assert [r["month"] for r in year_end.rows] == ["2020-11", "2020-12", "2021-01"]
    assert tabulate([], Grouping.MONTH).rows == []
    assert tabulate([], Grouping.DISTRICT).total["cases"] == 0


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        Fact(M.ARRESTS, datetime(2020, 12, 1, 10, 0))


def test_compare_takes_the_period_of_the_same_length_before() -> None:
    result = compare(FACTS, date(2020, 12, 1), date(2020, 12, 31))
    assert (result.previous_start, result.previous_end) == (
        date(2020, 10, 31),
        date(2020, 11, 30),
    )
    assert result.days == 31
    tips = result.changes["tips_received"]
    assert (tips.current, tips.previous, tips.change) == (2, 1, 1)
    assert tips.change_percent == 100.0
    assert result.sentence() == "Tips received: 2 (up 100% on the previous 31 days)"
    searches = result.changes["searches"]
    assert (searches.current, searches.previous, searches.change) == (2, 0, 2)
    assert searches.change_percent is None
    assert result.sentence("searches") == "Searches: 2 (none in the previous 31 days)"
    assert result.changes["cases"].current == 2
    assert list(result.changes) == FIGURES
    assert len(result.sentences()) == len(FIGURES)


def test_compare_sentence_reads_like_the_press_figures() -> None:
    now = [_fact(M.TIPS_RECEIVED, "2021-02-10T10:00")] * 1204
    before = [_fact(M.TIPS_RECEIVED, "2020-10-03T00:10")] * 872
    too_early = [_fact(M.TIPS_RECEIVED, "2020-10-02T23:50")] * 5
    result = compare(now + before + too_early, date(2021, 1, 1), date(2021, 3, 31))
    assert result.previous_start == date(2020, 10, 3)
    assert result.changes["tips_received"].previous == 872
    assert result.sentence() == "Tips received: 1,204 (up 38% on the previous 90 days)"
    assert result.sentence("arrests") == (
        "Arrests: 0 (none in the previous 90 days either)"
    )


@pytest.mark.parametrize(
    ("current", "previous", "words"),
    [
        (3, 4, "Arrests: 3 (down 25% on the previous 7 days)"),
        (4, 4, "Arrests: 4 (the same as the previous 7 days)"),
        (1001, 1000, "Arrests: 1,001 (up less than 1% on the previous 7 days)"),
        (0, 2, "Arrests: 0 (down 100% on the previous 7 days)"),
    ],
)
def test_change_sentences(current: int, previous: int, words: str) -> None:
    assert Change("arrests", current, previous).sentence(7) == words


def test_compare_refuses_a_period_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        compare(FACTS, date(2021, 1, 2), date(2021, 1, 1))


def test_csv_has_a_header_a_row_per_group_and_the_total_last() -> None:
    facts = [*FACTS, _fact(M.ARRESTS, "2020-12-09T10:00", station="=HYPERLINK()")]
    table = tabulate(facts, Grouping.STATION)
    stream = io.StringIO()
    table.to_csv(stream)
    lines = list(csv.reader(io.StringIO(stream.getvalue())))
    assert lines[0] == ["station", *FIGURES]
    assert lines[0] == table.columns
    assert [line[0] for line in lines[1:]] == [
        "'=HYPERLINK()",  # a spreadsheet must not run a typed name
        "Aluva",
        EKM_PS,
        TSR_PS,
        "(none)",
        "total",
    ]
    with_the_arrest = {**TOTAL, "arrests": 2}
    assert lines[-1][1:] == [str(with_the_arrest[f]) for f in FIGURES]


def test_records_are_json_objects_one_per_row_with_every_column() -> None:
    table = tabulate(FACTS, Grouping.DISTRICT)
    records = json.loads(json.dumps(table.as_records()))
    assert len(records) == len(table.rows) + 1
    assert all(list(record) == table.columns for record in records)
    assert records[-1] == {"district": "total", **TOTAL}
    assert records[0]["district"] == EKM
    assert isinstance(records[0]["cases"], int)


def test_comparison_records_carry_none_for_no_previous_figure() -> None:
    result = compare(FACTS, date(2020, 12, 1), date(2020, 12, 31))
    records = json.loads(json.dumps(result.as_records()))
    assert records[0] == {
        "measure": "tips_received",
        "current": 2,
        "previous": 1,
        "change": 1,
        "change_percent": 100.0,
    }
    assert records[2]["change_percent"] is None


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_png(path: Path) -> None:
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    pixels = image.imread(path)
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100


def _check_svg(path: Path) -> None:
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_month_trend_is_one_line_chart_as_png_and_svg(tmp_path: Path) -> None:
    table = tabulate(FACTS, Grouping.MONTH)
    written = draw_charts(table, tmp_path / "charts", "Casework")
    out = tmp_path / "charts"
    assert written == [out / "month-trend.png", out / "month-trend.svg"]
    _check_png(written[0])
    _check_svg(written[1])


def test_groupings_get_a_bar_chart_per_figure(tmp_path: Path) -> None:
    table = tabulate(FACTS, Grouping.DISTRICT)
    written = draw_charts(table, tmp_path, "Casework")
    assert [p.name for p in written] == [
        f"district-{name}.{kind}"
        for name in ["tips_received", "cases", "arrests", "devices_seized"]
        for kind in ["png", "svg"]
    ]
    for path in written:
        (_check_png if path.suffix == ".png" else _check_svg)(path)


def test_same_table_gives_byte_identical_files(tmp_path: Path) -> None:
    table = tabulate(FACTS, Grouping.OPERATION)
    first = draw_charts(table, tmp_path / "one", "P-Hunt")
    second = draw_charts(table, tmp_path / "two", "P-Hunt")
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes()


def test_long_and_empty_tables_still_draw(tmp_path: Path) -> None:
    start = datetime(2019, 1, 15, tzinfo=UTC)
    facts = [_fact(M.ARRESTS, start + timedelta(days=31 * i)) for i in range(40)]
    trend = draw_charts(tabulate(facts, Grouping.MONTH), tmp_path, "Years")
    _check_png(trend[0])
    empty = draw_charts(tabulate([], Grouping.STATION), tmp_path, "Nothing")
    assert len(empty) == 8
    _check_svg(empty[1])


def test_importing_statistics_and_charts_leaves_matplotlib_unloaded() -> None:
    code = (
        "import sys, kavach.reporting.charts, kavach.reporting.casework_stats\n"
        "print('matplotlib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
