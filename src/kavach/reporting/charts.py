"""Charts of a casework statistics table, as PNG and reproducible SVG."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kavach.reporting.casework_stats import CASES, LABELS, Grouping, Measure, StatsTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

TREND = [Measure.TIPS_RECEIVED.value, CASES, Measure.ARRESTS.value]
BARS = [*TREND, Measure.DEVICES_SEIZED.value]
FORMATS = ("png", "svg")
# Fixed so that the same table gives the same SVG bytes (element ids derive from it).
SVG_SALT = "kavach-casework-stats"
_STYLE: dict[RcKeyType, object] = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: same glyphs everywhere
    "svg.hashsalt": SVG_SALT,
    "svg.fonttype": "path",
    "path.simplify": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def draw_charts(table: StatsTable, out_dir: Path, title: str) -> list[Path]:
    """The table's charts written under ``out_dir``; returns the files, PNG then SVG.

    By month: one line chart, ``month-trend``. Otherwise one horizontal bar chart
    per figure, ``<grouping>-<figure>`` (e.g. ``district-cases``).
    """
    # Chosen here, not at import, so that commands which never draw stay fast.
    import matplotlib

    matplotlib.use("Agg")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with _style():
        if table.grouping is Grouping.MONTH:
            written += _save(_trend(table, title), out_dir / "month-trend")
        else:
            for name in BARS:
                figure = _bars(table, name, title)
                written += _save(figure, out_dir / f"{table.grouping.value}-{name}")
    return written


def chart_svg(table: StatsTable, title: str, figure: str | None = None) -> str:
    """One chart of the table as SVG text to put inside a page: the month trend,
    or the bars of ``figure`` (e.g. "cases") for other groupings. The same table
    gives the same text, so a page may cache it."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    with _style():
        if table.grouping is Grouping.MONTH:
            drawn = _trend(table, title)
        else:
            drawn = _bars(table, figure or CASES, title)
        out = io.StringIO()
        try:
            drawn.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(drawn)
    text = out.getvalue()
    return text[text.index("<svg") :]  # no XML prolog or DOCTYPE inside HTML


@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        yield


def _save(figure: Figure, stem: Path) -> list[Path]:
    import matplotlib.pyplot as plt

    paths = [stem.with_suffix(f".{kind}") for kind in FORMATS]
    try:
        # No date, no version: two runs over the same table give the same bytes.
        figure.savefig(paths[0], dpi=100, metadata={"Software": None})
        figure.savefig(paths[1], metadata={"Date": None, "Creator": None})
    finally:
        plt.close(figure)
    return paths


def _trend(table: StatsTable, title: str) -> Figure:
    import matplotlib.pyplot as plt

    months = [str(row[table.grouping.value]) for row in table.rows]
    figure, axes = plt.subplots(
        figsize=(min(12.0, max(6.0, 0.35 * len(months) + 2)), 4.0)
    )
    positions = list(range(len(months)))
    for name in TREND:
        values = [int(row[name]) for row in table.rows]
        axes.plot(positions, values, marker="o", label=LABELS[name])
    _month_ticks(axes, months)
    axes.set_ylim(bottom=0)
    _whole_numbers(axes.yaxis)
    axes.set_ylabel("count")
    axes.set_title(title)
    axes.legend(loc="best")
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    return figure


def _month_ticks(axes: Axes, months: list[str]) -> None:
    # Past two years every month label would overlap; label each quarter instead.
    step = 1 if len(months) <= 24 else 3
    shown = list(range(0, len(months), step))
    axes.set_xticks(shown, [months[i] for i in shown], rotation=45, ha="right")


def _whole_numbers(axis: Axis) -> None:
    from matplotlib.ticker import MaxNLocator

    # Counts: a tick at 0.25 of an arrest says nothing.
    axis.set_major_locator(MaxNLocator(integer=True))


def _bars(table: StatsTable, name: str, title: str) -> Figure:
    import matplotlib.pyplot as plt

    groups = [str(row[table.grouping.value]) for row in table.rows]
    values = [int(row[name]) for row in table.rows]
    figure, axes = plt.subplots(figsize=(7.0, max(2.5, 0.3 * len(groups) + 1.5)))
    bars = axes.barh(range(len(groups)), values, color="#3b6ea5")
    axes.set_yticks(range(len(groups)), groups)
    axes.invert_yaxis()  # the table's first row on top, as it reads
    axes.bar_label(bars, padding=3)
    axes.set_xlim(left=0)
    _whole_numbers(axes.xaxis)
    axes.set_xlabel(LABELS[name])
    axes.set_title(f"{title}: {LABELS[name]} by {table.grouping.value}")
    figure.tight_layout()
    return figure
