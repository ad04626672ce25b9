"""Converting tip rows read back from the database."""

from __future__ import annotations

from typing import Any

from kavach.storage.timestamps import aware
from kavach.tips.ports import WindowRow


def window(r: Any) -> WindowRow:
    start, end = aware(r.start), aware(r.end)
    return WindowRow(
        r.id,
        r.address,
        r.port_low,
        r.port_high,
        start,
        end,
        r.subscriber,
        r.postal_address,
        r.pincode,
        r.phone,
        r.row,
    )
