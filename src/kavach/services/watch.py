"""The watchlist: ``kavach watch``. A directory person, or an identifier or group an
analyst pins, is watched; each new tip, ISP reply, search, seizure, scan or phone
extraction that touches one raises an alert for the analyst and the station.

Alerts are raised by a *sweep* over the records added since the last one (each
record wakes a watch once); the commands that add such records sweep when they
finish, and listing alerts sweeps first, so an alert is never missed for want of
a sweep. Audited: a watch names a person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from kavach.audit.ports import AuditLog
from kavach.errors import InputError

if TYPE_CHECKING:
    from kavach.entities.watch import Touch, Wake

# Kinds an analyst may pin, and how each is written on the command line.
PINNABLE = {
    "phone": "a number (+91..., or Indian without it)",
    "email": "an address",
    "screen_name": "SERVICE:NAME",
    "esp_user_id": "SERVICE:ID",
    "device_id": "an IMEI, or TYPE:VALUE",
    "group": "APP:GROUP-ID (as a phone's app keeps it)",
}


class WatchRepository(Protocol):
    def add(
        self,
        person_id: int | None,
        key: str | None,
        label: str,
        note: str | None,
        analyst: str,
        station: str | None,
    ) -> int: ...
    def end(self, watch_id: int, by: str) -> None: ...
    def watches(self, open_only: bool = True) -> list[dict[str, Any]]: ...
    def watched_keys(self) -> dict[str, list[int]]: ...
    def touched(self) -> tuple[list[Touch], dict[str, int]]: ...
    def raise_alerts(self, wakes: list[Wake], marks: dict[str, int]) -> int: ...
    def alerts(
        self,
        station: str | None = None,
        analyst: str | None = None,
        unseen: bool = False,
    ) -> list[dict[str, Any]]: ...
    def mark_seen(self, alert_ids: list[int], by: str) -> int: ...


class WatchService:
    def __init__(self, repository: WatchRepository, audit: AuditLog) -> None:
        self._repository = repository
        self._audit = audit

    def watch_person(
        self,
        person_id: int,
        actor: str,
        station: str | None = None,
        note: str | None = None,
    ) -> int:
        self.sweep(actor)  # records already in are not news to the new watch
        watch_id = self._repository.add(
            person_id, None, f"directory person {person_id}", note, actor, station
        )
        self._audit.record(
            actor, "watch.add", f"directory_person:{person_id}", {"watch": watch_id}
        )
        return watch_id

    def pin(
        self,
        kind: str,
        value: str,
        actor: str,
        station: str | None = None,
        note: str | None = None,
    ) -> int:
        """Watch one identifier or group, normalised as tips normalise them."""
        from kavach.entities.watch import group_key, identifier_key, shown

        if kind not in PINNABLE:
            raise InputError(f"{kind!r}: watch one of {', '.join(PINNABLE)}")
        if kind == "group":
            app, sep, group = value.partition(":")
            key = group_key(app.strip(), group.strip()) if sep and group else None
        elif kind in ("screen_name", "esp_user_id"):
            service, sep, name = value.partition(":")
            key = identifier_key(kind, name, service) if sep and name else None
        else:
            key = identifier_key(kind, value)
        if key is None:
            raise InputError(
                f"--{kind.replace('_', '-')} {value!r}: not {PINNABLE[kind]}"
            )
        self.sweep(actor)  # records already in are not news to the new watch
        watch_id = self._repository.add(None, key, shown(key), note, actor, station)
        self._audit.record(actor, "watch.add", key, {"watch": watch_id})
        return watch_id

    def end(self, watch_id: int, actor: str) -> None:
        self._repository.end(watch_id, actor)
        self._audit.record(actor, "watch.end", f"watch:{watch_id}")

    def watches(self, actor: str) -> list[dict[str, Any]]:
        found = self._repository.watches()
        self._audit.record(actor, "watch.list", "watchlist", {"watches": len(found)})
        return found

    def sweep(self, actor: str) -> int:
        """Raise the alerts the records added since the last sweep call for."""
        from kavach.entities.watch import wakes

        watched = self._repository.watched_keys()
        touches, marks = self._repository.touched()
        woken = wakes(touches, watched) if watched else []
        raised = self._repository.raise_alerts(woken, marks)
        if raised:
            self._audit.record(
                actor,
                "watch.alerts",
                "watchlist",
                {"alerts": raised, "records_swept": len(touches)},
            )
        return raised

    def alerts(
        self,
        actor: str,
        station: str | None = None,
        mine: bool = False,
        unseen: bool = False,
    ) -> list[dict[str, Any]]:
        """The alerts (after a sweep), for a station or the analyst's own."""
        self.sweep(actor)
        found = self._repository.alerts(station, actor if mine else None, unseen)
        self._audit.record(
            actor, "watch.read", station or "watchlist", {"alerts": len(found)}
        )
        return found

    def seen(self, alert_ids: list[int], actor: str) -> int:
        done = self._repository.mark_seen(alert_ids, actor)
        self._audit.record(actor, "watch.seen", "watchlist", {"alerts": alert_ids})
        return done
