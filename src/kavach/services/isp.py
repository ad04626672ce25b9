"""ISP requests out, replies in: who held an IP address (and port) at a moment."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kavach.audit.ports import AuditLog
from kavach.casework_vocabulary import AttributionState
from kavach.services.folders import out_folder
from kavach.tips.model import IpEvent
from kavach.tips.ports import EventRow, TipRepository, WindowRow

if TYPE_CHECKING:
    from kavach.isp.replies import ReplyWindow


@dataclass(frozen=True, slots=True)
class RequestsResult:
    files: list[Path]
    requests: int
    by_isp: dict[str, int]
    past_retention: int


@dataclass(frozen=True, slots=True)
class ReplyResult:
    windows: int
    already_imported: bool
    attributed: int
    not_attributable: int
    ambiguous: int
    tips_placed: int


class IspService:
    def __init__(
        self,
        tips: TipRepository,
        audit: AuditLog,
        place: Callable[[Sequence[int] | None, str], object],
        rescore: Callable[[], None],
        asn_db: Path | None,
        unit_name: str = "Counter Child Sexual Exploitation Centre",
    ) -> None:
        self._tips = tips
        self._audit = audit
        self._place = place
        self._rescore = rescore
        self._asn_db = asn_db
        self._unit_name = unit_name

    def write_requests(
        self, out_dir: Path, actor: str, today: date, station: str | None = None
    ) -> RequestsResult:
        """A request per IP event not yet attributed, grouped by ISP: CSV and a
        printable letter each, and an index."""
        from kavach.isp.attribution import ReplyIndex
        from kavach.isp.requests import asn_isp_lookup, build_requests, group_by_isp
        from kavach.isp.requests import write_requests as write

        isp_of = asn_isp_lookup(self._asn_db) if self._asn_db else (lambda _a: None)
        index = ReplyIndex([_reply_window(w) for w in self._tips.windows()])
        sightings = [
            (e.report_id, _event(e)) for e in self._tips.events(only_open=True)
        ]
        requests = build_requests(sightings, isp_of, today, index)
        out_folder(out_dir)
        groups = group_by_isp(requests)
        files = write(
            out_dir,
            groups,
            station=station or self._unit_name,
            unit=self._unit_name,
            today=today,
        )
        result = RequestsResult(
            files,
            len(requests),
            {isp: len(rows) for isp, rows in groups.items()},
            sum(r.past_retention for r in requests),
        )
        self._audit.record(
            actor,
            "isp.requests",
            str(out_dir.resolve()),
            {
                "requests": result.requests,
                "by_isp": result.by_isp,
                "past_retention": result.past_retention,
            },
        )
        return result

    def import_reply(
        self,
        path: Path,
        actor: str,
        columns: dict[str, str] | None = None,
        isp: str | None = None,
    ) -> ReplyResult:
        """Store a reply's windows, attribute every open IP event against all
        replies held, and re-place the tips whose events were attributed."""
        from kavach.isp.replies import read_replies

        windows = read_replies(path, columns, isp)  # all or nothing: FormatError
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        reply_id = self._tips.save_reply(
            str(path.resolve()), digest, isp, windows, actor
        )
        counts, touched = self._attribute_open()
        if touched:
            self._place(touched, actor)
            self._rescore()
        result = ReplyResult(
            len(windows),
            reply_id is None,
            counts.get(AttributionState.ATTRIBUTED, 0),
            counts.get(AttributionState.NOT_ATTRIBUTABLE, 0),
            counts.get(AttributionState.AMBIGUOUS, 0),
            len(touched),
        )
        self._audit.record(
            actor,
            "isp.import",
            str(path.resolve()),
            {
                "sha256": digest,
                "windows": result.windows,
                "already_imported": result.already_imported,
                "attributed": result.attributed,
                "not_attributable": result.not_attributable,
                "ambiguous": result.ambiguous,
                "tips_placed": result.tips_placed,
            },
        )
        return result

    def _attribute_open(self) -> tuple[Counter[AttributionState], list[int]]:
        from kavach.isp.attribution import ReplyIndex

        rows = self._tips.windows()
        by_key = {_window_key(w): w.id for w in rows}
        index = ReplyIndex([_reply_window(w) for w in rows])
        results = []
        counts: Counter[AttributionState] = Counter()
        touched: set[int] = set()
        for event in self._tips.events(only_open=True):
            answer = index.attribute(_event(event))
            state = AttributionState(answer.state.value)
            window_id = by_key.get(_reply_key(answer.window)) if answer.window else None
            results.append((event.id, state, answer.reason, window_id))
            counts[state] += 1
            if state is AttributionState.ATTRIBUTED:
                touched.add(event.tip_id)
        self._tips.set_attributions(results)
        return counts, sorted(touched)


def _event(row: EventRow) -> IpEvent:
    return IpEvent(row.address, row.at, row.port, row.event)


def _reply_window(w: WindowRow) -> ReplyWindow:
    from kavach.isp.replies import ReplyWindow

    return ReplyWindow(
        address=w.address,
        port_low=w.port_low,
        port_high=w.port_high,
        start=w.start,
        end=w.end,
        subscriber=w.subscriber or "",
        address_text=w.postal_address,
        pincode=w.pincode,
        phone=w.phone,
        isp=None,
        where=w.row,
    )


def _window_key(w: WindowRow) -> tuple[object, ...]:
    return (w.address, w.port_low, w.port_high, w.start, w.end, w.row)


def _reply_key(w: ReplyWindow) -> tuple[object, ...]:
    return (w.address, w.port_low, w.port_high, w.start, w.end, w.where)
