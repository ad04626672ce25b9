"""Signs in a phone extraction that the device was reset ("device reset on ...").

Where ALEAPP and iLEAPP look: Android's bootstat records the factory reset in the
*modification time* of ``/data/misc/bootstat/factory_reset``; Samsung's recovery
keeps ``/efs/recovery/history`` (and ``/data/log/recovery_history.log``), text
records headed ``+ [tag | YYYY/MM/DD HH:MM:SS | build]`` in the device's local time
whose ``--wipe_data`` or ``--prompt_and_wipe_data`` line is a factory reset and
``--reason=`` says who asked; iOS writes ``/private/var/root/.obliterated`` on a wipe
(its modification time is the first boot after it). A modification time is only as
good as the extraction that kept it: each sign says where its time comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_HEADER_TIME = re.compile(r"(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})")
_WIPES = ("--wipe_data", "--prompt_and_wipe_data")
_REASONS = {
    "Fmm.RemoteWipeOut": "remote wipe (Samsung Find My Mobile)",
    "Find My Device wiping device remotely": "remote wipe (Google Find My Device)",
    "MasterClearConfirm": "reset from the phone's settings",
}
_MARKERS = (
    ("misc/bootstat/factory_reset", "android-bootstat"),
    ("root/.obliterated", "ios-obliterated"),
)
_HISTORIES = ("efs/recovery/history", "data/log/recovery_history.log")
_ENDINGS = tuple("/" + s for s in (*(m for m, _ in _MARKERS), *_HISTORIES))


@dataclass(frozen=True)
class ResetSign:
    """One sign of a reset: when, how the time is known, and where it was read."""

    kind: str
    at: datetime | None
    time_basis: str  # "file modification time (UTC)" or "device local time"
    source: str
    detail: str | None = None

    def sentence(self) -> str:
        when = self.at.strftime("%Y-%m-%d %H:%M:%S") if self.at else "an unknown time"
        why = f" ({self.detail})" if self.detail else ""
        return f"device reset on {when}, {self.time_basis}{why}; from {self.source}"


def find_resets(root: Path) -> list[ResetSign]:
    """Every reset sign under ``root`` (an extraction's folder), oldest first."""
    return resets_among(sorted(root.rglob("*")))


def resets_among(paths: Iterable[Path]) -> list[ResetSign]:
    """``find_resets`` over paths already listed (one walk of an extraction)."""
    signs: list[ResetSign] = []
    for path in paths:
        posix = path.as_posix()
        if not posix.endswith(_ENDINGS) or not path.is_file():
            continue
        for suffix, kind in _MARKERS:
            if posix.endswith("/" + suffix):
                at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                signs.append(ResetSign(kind, at, "file modification time (UTC)", posix))
        if any(posix.endswith("/" + h) for h in _HISTORIES):
            signs.extend(_recovery_history(path))
    return sorted(signs, key=_order)


def _order(sign: ResetSign) -> tuple[bool, datetime]:
    """Oldest first; a local time is ordered as if it were UTC (hours at most)."""
    if sign.at is None:
        return True, datetime.min.replace(tzinfo=UTC)
    return False, sign.at if sign.at.tzinfo else sign.at.replace(tzinfo=UTC)


def _records(text: str) -> Iterator[list[str]]:
    """The history's records: each begins with a line starting with '+'."""
    record: list[str] = []
    for line in text.splitlines():
        if line.startswith("+") and record:
            yield record
            record = []
        record.append(line)
    if record:
        yield record


def _recovery_history(path: Path) -> Iterator[ResetSign]:
    text = path.read_text(encoding="utf-8", errors="replace")
    for record in _records(text):
        if not any(line.strip().startswith(_WIPES) for line in record):
            continue
        found = _HEADER_TIME.search(record[0])
        at = None
        if found:
            year, month, day, hour, minute, second = map(int, found.groups())
            try:
                at = datetime(year, month, day, hour, minute, second)
            except ValueError:
                at = None
        reason = next(
            (
                line.strip().split("=", 1)[1]
                for line in record
                if line.strip().startswith("--reason=")
            ),
            None,
        )
        detail = _REASONS.get(reason or "", reason)
        yield ResetSign(
            "samsung-recovery", at, "device local time", path.as_posix(), detail
        )
