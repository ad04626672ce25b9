"""Every reply layout Kavach ships reads a sample reply written in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kavach.isp.layouts import shipped_layout, shipped_layouts
from kavach.isp.replies import read_replies
from tests.isp.helpers import write_csv


def _dot_ipdr(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "ipdr.csv",
        [
            [
                "Name of Subscriber",
                "Address",
                "Contact No",
                "Alternate Contact No",
                "Email",
                "User ID",
                "IP Assigned",
                "Static/Dynamic",
                "Source Port",
                "Start Date",
                "Start Time (IST)",
                "End Date",
                "End Time (IST)",
                "Source MAC/Device ID",
            ],
            [
                "Demo Subscriber",
                "House 1, Demo Nagar, Aluva 683101",
                "0484 2000000",
                "",
                "demo@example.in",
                "U1",
                "203.0.113.5",
                "Dynamic",
                "1024-2047",
                "01-12-2020",
                "10:00:00",
                "01-12-2020",
                "12:00:00",
                "aa:bb:cc:dd:ee:ff",
            ],
        ],
    )


# A layout added to isp/data needs a sample here; the test below fails without one.
SAMPLES: dict[str, Callable[[Path], Path]] = {"dot-ipdr": _dot_ipdr}


@pytest.mark.parametrize("name", shipped_layouts())
def test_every_shipped_layout_reads_its_sample(name: str, tmp_path: Path) -> None:
    assert name in SAMPLES, f"reply layout {name!r} has no sample in SAMPLES"
    (window,) = read_replies(SAMPLES[name](tmp_path), shipped_layout(name))
    assert window.subscriber and window.start < window.end
    assert window.pincode == "683101" and window.port_low == 1024
