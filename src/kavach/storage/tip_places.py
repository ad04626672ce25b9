"""IP events, ISP reply windows and tip placements in the database."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, or_, select, update

from kavach.casework_vocabulary import AttributionState, LocatedBy
from kavach.errors import NotFoundError
from kavach.storage.casework_tables import (
    isp_reply,
    isp_window,
    police_district,
    police_station,
    revenue_district,
    tip,
    tip_ip_event,
)
from kavach.storage.database import new_id
from kavach.storage.timestamps import aware as _aware
from kavach.storage.timestamps import utc as _utc
from kavach.storage.tip_rows import window as _window
from kavach.tips.ports import (
    EventRow,
    Placement,
    TipPlaceFacts,
    WindowRow,
)


class PlaceStore:
    """The ISP and placement side of ``SqlTipRepository``."""

    _engine: Engine

    def events(self, only_open: bool) -> list[EventRow]:
        query = select(
            tip_ip_event.c.id,
            tip_ip_event.c.tip_id,
            tip.c.report_id,
            tip_ip_event.c.address,
            tip_ip_event.c.port,
            tip_ip_event.c.at,
            tip_ip_event.c.event,
            tip_ip_event.c.attribution,
        ).join(tip, tip.c.id == tip_ip_event.c.tip_id)
        if only_open:
            query = query.where(
                tip_ip_event.c.attribution != AttributionState.ATTRIBUTED.value
            )
        with self._engine.connect() as connection:
            rows = connection.execute(query.order_by(tip_ip_event.c.id)).all()
        return [
            EventRow(
                r.id,
                r.tip_id,
                r.report_id,
                r.address,
                r.port,
                _aware(r.at),
                r.event,
                AttributionState(r.attribution),
            )
            for r in rows
        ]

    def set_attributions(
        self, results: Sequence[tuple[int, AttributionState, str, int | None]]
    ) -> None:
        with self._engine.begin() as connection:
            for event_id, state, reason, window_id in results:
                connection.execute(
                    update(tip_ip_event)
                    .where(tip_ip_event.c.id == event_id)
                    .values(
                        attribution=state.value,
                        attribution_reason=reason,
                        window_id=window_id,
                    )
                )

    def save_reply(
        self,
        file_name: str,
        file_sha256: str,
        isp: str | None,
        windows: Sequence[Any],
        actor: str,
    ) -> int | None:
        with self._engine.begin() as connection:
            if connection.execute(
                select(isp_reply.c.id).where(isp_reply.c.file_sha256 == file_sha256)
            ).first():
                return None
            reply_id = new_id(
                connection.execute(
                    insert(isp_reply).values(
                        file_name=file_name,
                        file_sha256=file_sha256,
                        isp=isp,
                        windows=len(windows),
                        imported_at=datetime.now(UTC),
                        imported_by=actor,
                    )
                )
            )
            rows = [
                {
                    "reply_id": reply_id,
                    "address": w.address,
                    "port_low": w.port_low,
                    "port_high": w.port_high,
                    "start": _utc(w.start),
                    "end": _utc(w.end),
                    "subscriber": w.subscriber,
                    "postal_address": w.address_text,
                    "pincode": w.pincode,
                    "phone": w.phone,
                    "row": w.where,
                    "extra": json.dumps(w.extra, default=str),
                }
                for w in windows
            ]
            if rows:
                connection.execute(insert(isp_window), rows)
        return reply_id

    def windows(self) -> list[WindowRow]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(isp_window).order_by(isp_window.c.id)
            ).all()
        return [_window(r) for r in rows]

    def place_facts(self, tip_ids: Sequence[int] | None) -> list[TipPlaceFacts]:
        with self._engine.connect() as connection:
            query = select(
                tip.c.id, tip.c.est_city, tip.c.est_region, tip.c.est_country
            )
            if tip_ids is not None:
                query = query.where(tip.c.id.in_(list(tip_ids)))
            tips_ = connection.execute(query.order_by(tip.c.id)).all()
            addresses: dict[int, list[str]] = defaultdict(list)
            attributed: dict[int, list[WindowRow]] = defaultdict(list)
            for r in connection.execute(
                select(
                    tip_ip_event.c.tip_id,
                    tip_ip_event.c.address.label("event_address"),
                    isp_window,
                )
                .outerjoin(isp_window, isp_window.c.id == tip_ip_event.c.window_id)
                .order_by(tip_ip_event.c.seq)
            ):
                addresses[r.tip_id].append(r.event_address)
                if r.id is not None:
                    attributed[r.tip_id].append(_window(r))
        return [
            TipPlaceFacts(
                t.id,
                attributed[t.id],
                addresses[t.id],
                t.est_city,
                t.est_region,
                t.est_country,
            )
            for t in tips_
        ]

    def set_placements(self, placements: dict[int, Placement]) -> None:
        with self._engine.begin() as connection:
            for tip_id, p in placements.items():
                connection.execute(
                    update(tip)
                    .where(tip.c.id == tip_id, _not_manual)
                    .values(
                        revenue_district=p.revenue_district,
                        police_district_id=p.police_district_id,
                        station_id=p.station_id,
                        located_by=p.located_by.value if p.located_by else None,
                        location_detail=p.detail,
                    )
                )

    def route(self, tip_id: int, station: str, note: str | None) -> str:
        from kavach.storage.casework_repository import find_station

        with self._engine.begin() as connection:
            station_id, name, _ = find_station(connection, station)
            where = connection.execute(
                select(police_district.c.id, revenue_district.c.name)
                .join(
                    police_station,
                    police_station.c.police_district_id == police_district.c.id,
                )
                .join(
                    revenue_district,
                    revenue_district.c.id == police_district.c.revenue_district_id,
                )
                .where(police_station.c.id == station_id)
            ).one()
            done = connection.execute(
                update(tip)
                .where(tip.c.id == tip_id)
                .values(
                    station_id=station_id,
                    police_district_id=where[0],
                    revenue_district=where[1],
                    located_by=LocatedBy.MANUAL.value,
                    location_detail=f"routed by hand: {note}"
                    if note
                    else "routed by hand",
                )
            )
            if done.rowcount == 0:
                raise NotFoundError(f"no tip {tip_id}")
        return name


# A tip routed by hand keeps its route when placement runs again.
_not_manual = or_(
    tip.c.located_by.is_(None), tip.c.located_by != LocatedBy.MANUAL.value
)
