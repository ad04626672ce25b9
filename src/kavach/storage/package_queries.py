"""What an operation's search packages hold, read from the database."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, select

from kavach.errors import NotFoundError
from kavach.reporting.packages import PackageTarget, PackageTip, StationPackage
from kavach.storage.casework_tables import (
    isp_window,
    operation,
    operation_target,
    police_district,
    police_station,
    target,
    tip,
    tip_file,
    tip_identifier,
    tip_ip_event,
    tip_person,
)
from kavach.storage.timestamps import aware as _aware
from kavach.tips.scoring import Factor, explain

# The sections the package reminds officers of; they decide what applies.
BASE_SECTIONS = ("IT Act 67B", "POCSO 15(1)")
DISTRIBUTION_SECTIONS = ("POCSO 15(2)",)


class SqlPackageQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def packages(self, name: str, actor: str) -> list[StationPackage]:
        with self._engine.connect() as connection:
            op = connection.execute(
                select(operation).where(operation.c.name == name)
            ).first()
            if op is None:
                raise NotFoundError(f"no operation {name!r}")
            rows = connection.execute(
                select(
                    target,
                    police_station.c.name.label("station_name"),
                    police_district.c.name.label("pd_name"),
                )
                .join(operation_target, operation_target.c.target_id == target.c.id)
                .outerjoin(police_station, police_station.c.id == target.c.station_id)
                .outerjoin(
                    police_district, police_district.c.id == target.c.police_district_id
                )
                .where(operation_target.c.operation_id == op.id)
            ).all()
            by_station: dict[tuple[str, str], list[PackageTarget]] = defaultdict(list)
            for r in rows:
                key = (r.station_name or "HQ (not routed)", r.pd_name or "-")
                by_station[key].append(self._target(connection, r))
        dates = f"{op.starts_on:%d %b %Y} – {op.ends_on:%d %b %Y}"
        now = datetime.now(UTC)
        return [
            StationPackage(name, dates, district, station, tuple(targets), actor, now)
            for (station, district), targets in sorted(by_station.items())
        ]

    def _target(self, connection: Connection, row: Row[Any]) -> PackageTarget:
        target_id = row.id
        tips_ = connection.execute(
            select(tip).where(tip.c.target_id == target_id).order_by(tip.c.id)
        ).all()
        ids = [t.id for t in tips_]
        persons = connection.execute(
            select(tip_person).where(tip_person.c.tip_id.in_(ids))
        ).all()
        names = {
            n
            for p in persons
            if (
                n := " ".join(x for x in (p.first_name, p.last_name) if x)
                or p.display_name
            )
        }
        addresses = {a for p in persons for a in json.loads(p.addresses)}
        identifiers = {
            f"{i.value} ({i.service})" if i.service else i.value
            for i in connection.execute(
                select(tip_identifier).where(tip_identifier.c.tip_id.in_(ids))
            )
        }
        subscribers = set()
        for w in connection.execute(
            select(isp_window)
            .join(tip_ip_event, tip_ip_event.c.window_id == isp_window.c.id)
            .where(tip_ip_event.c.tip_id.in_(ids))
        ):
            subscribers.add(w.subscriber or "-")
            if w.postal_address:
                addresses.add(w.postal_address)
        files = {
            t.id: connection.execute(
                select(tip_file.c.list_matches).where(tip_file.c.tip_id == t.id)
            )
            .scalars()
            .all()
            for t in tips_
        }
        package_tips = tuple(
            PackageTip(
                t.report_id,
                t.source,
                _aware(t.received_at),
                t.esp or "-",
                t.incident_type or "-",
                len(files[t.id]),
                sum(1 for m in files[t.id] if m != "[]"),
                t.summary,
            )
            for t in tips_
        )
        distribution = any(
            "distribut" in (t.incident_type or "").lower() for t in tips_
        )
        factors = [
            Factor(str(f["factor"]), str(f["value"]), int(f["points"]))
            for f in json.loads(row.explanation)
        ]
        return PackageTarget(
            target_id,
            row.score,
            explain(factors),
            tuple(sorted(names)),
            tuple(sorted(addresses)),
            tuple(sorted(identifiers)),
            tuple(sorted(subscribers)),
            package_tips,
            BASE_SECTIONS + (DISTRIBUTION_SECTIONS if distribution else ()),
        )
