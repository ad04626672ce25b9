"""The unit directory (districts, police districts, stations) in the database."""

from __future__ import annotations

import json

from sqlalchemy import Connection, Engine, insert, select, update

from kavach.cases.ports import UnitIds
from kavach.cases.units import PoliceDistrict, RevenueDistrict, UnitDirectory
from kavach.storage.casework_tables import (
    police_district,
    police_station,
    revenue_district,
)
from kavach.storage.database import new_id


class SqlUnitRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def is_empty(self) -> bool:
        with self._engine.connect() as connection:
            return (
                connection.execute(select(revenue_district.c.id).limit(1)).first()
                is None
            )

    def save(self, units: UnitDirectory) -> None:
        """Add or update every district and station of ``units``; nothing is removed
        (tips, searches and cases refer to them)."""
        with self._engine.begin() as connection:
            district_ids = {
                d.name: self._upsert_revenue(connection, d)
                for d in units.all_revenue_districts()
            }
            for unit in units.all_police_districts():
                unit_id = self._upsert_police(connection, unit, district_ids)
                self._upsert_station(connection, unit_id, unit.cyber_station, True)
                for name in unit.stations:
                    self._upsert_station(connection, unit_id, name, False)

    def _upsert_revenue(self, connection: Connection, d: RevenueDistrict) -> int:
        values = {
            "name": d.name,
            "headquarters": d.headquarters,
            "latitude": d.latitude,
            "longitude": d.longitude,
            "aliases": json.dumps(list(d.aliases)),
        }
        found = connection.execute(
            select(revenue_district.c.id).where(revenue_district.c.name == d.name)
        ).scalar()
        if found is not None:
            connection.execute(
                update(revenue_district)
                .where(revenue_district.c.id == found)
                .values(**values)
            )
            return int(found)
        return new_id(connection.execute(insert(revenue_district).values(**values)))

    def _upsert_police(
        self, connection: Connection, unit: PoliceDistrict, district_ids: dict[str, int]
    ) -> int:
        values = {
            "code": unit.code,
            "name": unit.name,
            "revenue_district_id": district_ids[unit.revenue_district],
            "default_for_district": unit.default_for_district,
            "localities": json.dumps(list(unit.localities)),
        }
        found = connection.execute(
            select(police_district.c.id).where(police_district.c.code == unit.code)
        ).scalar()
        if found is not None:
            connection.execute(
                update(police_district)
                .where(police_district.c.id == found)
                .values(**values)
            )
            return int(found)
        return new_id(connection.execute(insert(police_district).values(**values)))

    def _upsert_station(
        self, connection: Connection, unit_id: int, name: str, cyber: bool
    ) -> None:
        found = connection.execute(
            select(police_station.c.id).where(
                police_station.c.police_district_id == unit_id,
                police_station.c.name == name,
            )
        ).scalar()
        if found is None:
            connection.execute(
                insert(police_station).values(
                    name=name, police_district_id=unit_id, cyber=cyber
                )
            )

    def directory(self) -> UnitDirectory:
        with self._engine.connect() as connection:
            districts = connection.execute(
                select(revenue_district).order_by(revenue_district.c.id)
            ).all()
            units = connection.execute(
                select(police_district).order_by(police_district.c.id)
            ).all()
            stations = connection.execute(
                select(police_station).order_by(police_station.c.id)
            ).all()
        names = {d.id: d.name for d in districts}
        revenue = [
            RevenueDistrict(
                d.name,
                d.headquarters,
                d.latitude,
                d.longitude,
                tuple(json.loads(d.aliases)),
            )
            for d in districts
        ]
        police = []
        for u in units:
            own = [s for s in stations if s.police_district_id == u.id]
            police.append(
                PoliceDistrict(
                    code=u.code,
                    name=u.name,
                    revenue_district=names[u.revenue_district_id],
                    cyber_station=next(s.name for s in own if s.cyber),
                    stations=tuple(s.name for s in own if not s.cyber),
                    localities=tuple(json.loads(u.localities)),
                    default_for_district=bool(u.default_for_district),
                )
            )
        return UnitDirectory(revenue, police, "database")

    def ids(self) -> UnitIds:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(
                    police_district.c.id.label("pd_id"),
                    police_district.c.name.label("pd_name"),
                    police_station.c.id,
                    police_station.c.name,
                    police_station.c.cyber,
                ).join(
                    police_station,
                    police_station.c.police_district_id == police_district.c.id,
                )
            ).all()
        return UnitIds(
            {r.pd_name: r.pd_id for r in rows},
            {r.pd_name: r.id for r in rows if r.cyber},
            {(r.pd_name, r.name): r.id for r in rows},
        )
