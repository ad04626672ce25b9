"""The casework facts statistics are counted from, read from the database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, select

from kavach.reporting.casework_stats import Fact, Measure
from kavach.storage.casework_tables import (
    arrest,
    case_record,
    charge_sheet,
    court_outcome,
    operation,
    operation_target,
    police_district,
    police_station,
    revenue_district,
    search,
    seized_device,
    tip,
)
from kavach.storage.timestamps import aware as _aware


class SqlStatsQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def facts(self) -> list[Fact]:
        with self._engine.connect() as connection:
            stations = self._stations(connection)
            return [
                *self._tips(connection, stations),
                *self._searches(connection, stations),
                *self._cases(connection, stations),
            ]

    def _stations(self, connection: Connection) -> dict[int, tuple[str, str]]:
        """Station id -> (station label, revenue district); a name that more than
        one police district uses is labelled with its district."""
        rows = connection.execute(
            select(
                police_station.c.id,
                police_station.c.name,
                police_district.c.name,
                revenue_district.c.name,
            )
            .join(
                police_district,
                police_district.c.id == police_station.c.police_district_id,
            )
            .join(
                revenue_district,
                revenue_district.c.id == police_district.c.revenue_district_id,
            )
        ).all()
        uses = Counter(r[1] for r in rows)
        return {
            r[0]: (r[1] if uses[r[1]] == 1 else f"{r[1]} ({r[2]})", r[3]) for r in rows
        }

    def _tips(
        self, connection: Connection, stations: dict[int, tuple[str, str]]
    ) -> Iterator[Fact]:
        operations = dict(
            connection.execute(
                select(operation_target.c.target_id, operation.c.name).join(
                    operation, operation.c.id == operation_target.c.operation_id
                )
            ).all()
        )
        for r in connection.execute(
            select(
                tip.c.received_at,
                tip.c.incident_at,
                tip.c.imported_at,
                tip.c.station_id,
                tip.c.revenue_district,
                tip.c.target_id,
            )
        ):
            # Provider XML carries no receipt date: its incident time stands in, and
            # failing both, when Kavach imported it.
            at = _aware(r.received_at or r.incident_at or r.imported_at)
            station = stations.get(r.station_id, (None, None))[0]
            common: dict[str, Any] = {
                "at": at,
                "district": r.revenue_district,
                "station": station,
                "operation": operations.get(r.target_id),
            }
            yield Fact(Measure.TIPS_RECEIVED, **common)
            if r.station_id is not None:
                yield Fact(Measure.TIPS_ROUTED, **common)

    def _searches(
        self, connection: Connection, stations: dict[int, tuple[str, str]]
    ) -> Iterator[Fact]:
        names = dict(connection.execute(select(operation.c.id, operation.c.name)).all())
        by_search: dict[int, dict[str, Any]] = {}
        for r in connection.execute(select(search)):
            station, district = stations.get(r.station_id, (None, None))
            common = {
                "district": district,
                "station": station,
                "operation": names.get(r.operation_id),
            }
            by_search[r.id] = common
            at = _aware(r.started_at)
            yield Fact(Measure.SEARCHES, at, **common)
            yield Fact(Measure.LOCATIONS, at, key=r.location_key, **common)
        for r in connection.execute(
            select(seized_device.c.search_id, seized_device.c.seized_at)
        ):
            yield Fact(
                Measure.DEVICES_SEIZED,
                _aware(r.seized_at),
                **by_search.get(r.search_id, {}),
            )

    def _cases(
        self, connection: Connection, stations: dict[int, tuple[str, str]]
    ) -> Iterator[Fact]:
        names = dict(connection.execute(select(operation.c.id, operation.c.name)).all())
        by_case: dict[int, dict[str, Any]] = {}
        for r in connection.execute(select(case_record)):
            station, district = stations.get(r.station_id, (None, None))
            common = {
                "district": district,
                "station": station,
                "operation": names.get(r.operation_id),
            }
            by_case[r.id] = common
            measure = Measure.FIRS if r.kind == "fir" else Measure.SEIZURE_REPORTS
            yield Fact(measure, _aware(r.registered_at), **common)
        for table, column, measure in (
            (arrest, arrest.c.at, Measure.ARRESTS),
            (charge_sheet, charge_sheet.c.filed_at, Measure.CHARGE_SHEETS),
        ):
            for case_id, at in connection.execute(select(table.c.case_id, column)):
                yield Fact(measure, _aware(at), **by_case[case_id])
        for case_id, at in connection.execute(
            select(court_outcome.c.case_id, court_outcome.c.decided_at).where(
                court_outcome.c.outcome == "convicted"
            )
        ):
            yield Fact(Measure.CONVICTIONS, _aware(at), **by_case[case_id])
