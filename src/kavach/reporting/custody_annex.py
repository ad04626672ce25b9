"""The annexure on the sequence of custody of electronic devices, as HTML and PDF.

BNSS 2023 s.193(3)(i) asks the final report to the magistrate to state "the sequence
of custody in case of electronic device". The annex lists, per device, every custody
step in time order and says plainly where the record has a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kavach.reporting.pdf import html_to_pdf, paper_time, render_paper_html

__all__ = [
    "LATE_RECORDING",
    "CustodyAnnexData",
    "CustodyStepRow",
    "DeviceCustody",
    "custody_gaps",
    "ordered_steps",
    "render_custody_annex_html",
    "render_custody_annex_pdf",
]

# A step written up later than this after it happened is named on the annex.
LATE_RECORDING = timedelta(hours=24)
# Steps are free text; these words (case and spaces ignored) are read as transfers
# and receipts. Any other step is printed as written and not paired.
_TRANSFERS = frozenset({"transferred", "transfer", "handed over"})
_RECEIPTS = frozenset({"received", "receipt"})


@dataclass(frozen=True)
class CustodyStepRow:
    """One custody step: what happened to the device, when, by whom and where.

    ``step`` is usually seized, sealed, transferred, received, examined, returned,
    unsealed or resealed; ``recorded_by`` / ``recorded_at`` say who wrote it up.
    """

    at: datetime
    step: str
    by: str
    place: str | None
    remarks: str | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class DeviceCustody:
    """A seized device and its custody steps; ``exhibit_sha256`` once examined."""

    label: str
    device_type: str
    make: str | None
    model: str | None
    serial: str | None
    imei: str | None
    seal_number: str | None
    seized_at: datetime
    steps: list[CustodyStepRow]
    exhibit_sha256: str | None


@dataclass(frozen=True)
class CustodyAnnexData:
    """The annex of one case; ``case_number`` as printed on the final report, e.g.
    "FIR No. 12 of 2026, P.S. Cyber Police Station Kochi City"."""

    case_number: str
    station: str
    sections: list[str]
    devices: list[DeviceCustody]
    generated_at: datetime
    generated_by: str
    time_zone: str = "Asia/Kolkata"


def ordered_steps(steps: Sequence[CustodyStepRow]) -> list[CustodyStepRow]:
    """Time order; two steps at the same minute keep the order they were recorded."""
    return sorted(steps, key=lambda s: (s.at, s.recorded_at))


def custody_gaps(
    steps: Sequence[CustodyStepRow], time_zone: str = "Asia/Kolkata"
) -> list[str]:
    """What a magistrate should be told about the record, one sentence each.

    Named: a transfer not followed (next in time) by a receipt, a step recorded
    more than ``LATE_RECORDING`` after it happened, and a step recorded before it
    happened (a clock or typing error). An empty list means no gap. Steps are
    numbered in time order, as the annex prints them.
    """
    ordered = ordered_steps(steps)
    if not ordered:
        return ["No custody step is recorded for this device."]
    gaps: list[str] = []
    for number, step in enumerate(ordered, start=1):
        name = f"Step {number} ({step.step}, {paper_time(step.at, time_zone)})"
        if _kind(step) in _TRANSFERS:
            following = ordered[number] if number < len(ordered) else None
            if following is None:
                gaps.append(f"{name}: transfer by {step.by} with no receipt recorded.")
            elif _kind(following) not in _RECEIPTS:
                gaps.append(
                    f"{name}: transfer by {step.by} with no receipt before step "
                    f"{number + 1} ({following.step})."
                )
        delay = step.recorded_at - step.at
        recorded = f"{paper_time(step.recorded_at, time_zone)} by {step.recorded_by}"
        if delay > LATE_RECORDING:
            gaps.append(
                f"{name}: recorded {_hours(delay)} after it happened ({recorded})."
            )
        elif delay < timedelta(0):
            gaps.append(f"{name}: recorded before it happened ({recorded}).")
    return gaps


def render_custody_annex_html(data: CustodyAnnexData) -> str:
    """The annex as one self-contained HTML page, devices in the order given."""
    devices = [
        (
            device,
            ordered_steps(device.steps),
            custody_gaps(device.steps, data.time_zone),
        )
        for device in data.devices
    ]
    return render_paper_html(
        "custody_annex.html",
        time_zone=data.time_zone,
        data=data,
        devices=devices,
        generated=paper_time(data.generated_at, data.time_zone),
    )


def render_custody_annex_pdf(data: CustodyAnnexData) -> bytes:
    """The annex as a PDF with no image in it (see ``html_to_pdf``)."""
    return html_to_pdf(render_custody_annex_html(data))


def _kind(step: CustodyStepRow) -> str:
    return " ".join(step.step.casefold().split())


def _hours(delay: timedelta) -> str:
    hours = delay.total_seconds() / 3600
    return f"{hours:.1f}".removesuffix(".0") + " h"
