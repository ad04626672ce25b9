"""Operations, searches, seizures, custody, cases and their figures, each audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from kavach.audit.ports import AuditLog
from kavach.cases.clocks import Clock, case_clocks, retention_clock
from kavach.cases.records import (
    CustodyEntry,
    NewArrest,
    NewCase,
    NewCustodyStep,
    NewDevice,
    NewOperation,
    NewOutcome,
    NewPerson,
    NewSearch,
    OperationTally,
)
from kavach.cases.rules import check_case, check_operation, check_person, check_search
from kavach.cases.sections import Section
from kavach.casework_vocabulary import AttributionState
from kavach.errors import InputError
from kavach.tips.identifiers import IdentifierError, imei, normalise
from kavach.tips.model import IdentifierKind
from kavach.tips.ports import EventRow

_AWAITING = (AttributionState.NO_REPLY, AttributionState.AMBIGUOUS)


class CaseworkRepository(Protocol):
    def seed_sections(self) -> int: ...
    def create_operation(self, new: NewOperation, actor: str) -> int: ...
    def add_targets(self, name: str, target_ids: list[int]) -> int: ...
    def record_search(self, new: NewSearch, actor: str) -> int: ...
    def open_referrals(self, name: str) -> list[dict[str, Any]]: ...
    def close_referral(self, child_ref: str, outcome: str) -> None: ...
    def seize_device(self, new: NewDevice, actor: str) -> int: ...
    def add_custody(self, new: NewCustodyStep, actor: str) -> None: ...
    def custody_log(self, label: str) -> list[CustodyEntry]: ...
    def tally(self, name: str) -> OperationTally: ...
    def link_exhibit(self, label: str, exhibit_label: str) -> None: ...
    def set_owner(self, label: str, person_id: int) -> None: ...
    def operations(self) -> list[dict[str, Any]]: ...
    def board(self, name: str) -> list[dict[str, Any]]: ...


class CaseRepository(Protocol):
    def add_person(self, new: NewPerson, actor: str) -> int: ...
    def persons(self) -> list[dict[str, Any]]: ...
    def link(self, person_id: int, record: str, record_id: int, role: str) -> None: ...
    def register_case(self, new: NewCase, actor: str) -> tuple[int, str]: ...
    def accuse(self, case_id: int, person_id: int) -> None: ...
    def add_arrest(self, new: NewArrest, actor: str) -> int: ...
    def add_charge_sheet(
        self,
        case_id: int,
        filed_at: datetime,
        court: str | None,
        number: str | None,
        actor: str,
    ) -> None: ...
    def record_notice(self, case_id: int, at: datetime, actor: str) -> None: ...
    def add_outcome(self, new: NewOutcome, actor: str) -> None: ...
    def case_rows(self) -> list[dict[str, Any]]: ...
    def cases(self) -> list[dict[str, Any]]: ...
    def sections(self) -> list[dict[str, Any]]: ...
    def add_section(self, section: Section) -> None: ...
    def case_detail(self, case_id: int) -> dict[str, Any]: ...


def _plain(value: Any) -> dict[str, Any]:
    return {
        k: (str(v) if not isinstance(v, int | str | None) else v)
        for k, v in asdict(value).items()
    }


class CaseworkService:
    def __init__(
        self,
        repository: CaseworkRepository,
        cases: CaseRepository,
        audit: AuditLog,
        ensure_units: Callable[[str], object],
        open_events: Callable[[], list[EventRow]],
    ) -> None:
        self._repository = repository
        self._cases = cases
        self._audit = audit
        # Searches and cases name stations: the packaged units load on first use.
        self._ensure_units = ensure_units
        # IP events no ISP has answered: their two-year retention is a clock too.
        self._open_events = open_events

    def seed_sections(self, actor: str) -> int:
        added = self._repository.seed_sections()
        if added:
            self._audit.record(
                actor, "sections.seed", "legal_section", {"added": added}
            )
        return added

    def create_operation(self, new: NewOperation, actor: str) -> int:
        check_operation(new)
        op_id = self._repository.create_operation(new, actor)
        self._audit.record(actor, "operation.create", new.name, _plain(new))
        return op_id

    def add_targets(self, name: str, target_ids: list[int], actor: str) -> int:
        added = self._repository.add_targets(name, target_ids)
        self._audit.record(
            actor, "operation.add_targets", name, {"targets": target_ids}
        )
        return added

    def record_search(self, new: NewSearch, actor: str) -> int:
        check_search(new)
        self._ensure_units(actor)
        search_id = self._repository.record_search(new, actor)
        self._audit.record(actor, "search.record", str(search_id), _plain(new))
        return search_id

    def close_referral(self, child_ref: str, outcome: str, actor: str) -> None:
        self._repository.close_referral(child_ref, outcome)
        self._audit.record(actor, "referral.close", child_ref, {"outcome": outcome})

    def seize_device(self, new: NewDevice, actor: str) -> int:
        if new.imei:
            try:
                new = replace(new, imei=imei(new.imei))
            except IdentifierError as exc:
                raise InputError(f"--imei: {exc}") from None
        device_id = self._repository.seize_device(new, actor)
        self._audit.record(actor, "device.seize", new.label, _plain(new))
        return device_id

    def add_custody(self, new: NewCustodyStep, actor: str) -> None:
        self._repository.add_custody(new, actor)
        self._audit.record(actor, "custody.add", new.device, _plain(new))

    def custody_log(self, label: str, actor: str) -> list[CustodyEntry]:
        entries = self._repository.custody_log(label)
        self._audit.record(actor, "custody.read", label, {"entries": len(entries)})
        return entries

    def add_person(self, new: NewPerson, actor: str) -> int:
        """Add a person; identifiers are normalised (a bad one is refused by name)."""
        check_person(new)
        new = replace(new, identifiers=tuple(_normalised(new.identifiers)))
        person_id = self._cases.add_person(new, actor)
        self._audit.record(actor, "person.add", str(person_id), {"name": new.name})
        return person_id

    def register_case(self, new: NewCase, actor: str) -> tuple[int, str]:
        new = replace(check_case(new), sections=tuple(dict.fromkeys(new.sections)))
        self._ensure_units(actor)
        self._repository.seed_sections()  # the seeded sections exist before any case
        case_id, number = self._cases.register_case(new, actor)
        self._audit.record(actor, "case.register", number, _plain(new))
        return case_id, number

    def add_arrest(self, new: NewArrest, actor: str) -> int:
        arrest_id = self._cases.add_arrest(new, actor)
        self._audit.record(actor, "arrest.add", str(new.case_id), _plain(new))
        return arrest_id

    def arrest_new_person(
        self,
        case_id: int,
        person: NewPerson,
        at: datetime,
        by: str,
        place: str | None,
        actor: str,
    ) -> int:
        """Someone not yet on record arrested: added, named accused in the case,
        and the arrest recorded — each step audited."""  # fmt: skip
        person_id = self.add_person(person, actor)
        self.accuse(case_id, person_id, actor)
        self.add_arrest(NewArrest(case_id, person_id, at, by, place), actor)
        return person_id

    def add_outcome(self, new: NewOutcome, actor: str) -> None:
        self._cases.add_outcome(new, actor)
        self._audit.record(actor, "case.outcome", str(new.case_id), _plain(new))

    def persons(self, actor: str) -> list[dict[str, Any]]:
        rows = self._cases.persons()
        self._audit.record(actor, "person.list", "persons", {"shown": len(rows)})
        return rows

    def link_person(
        self, person_id: int, record: str, record_id: int, role: str, actor: str
    ) -> None:
        self._cases.link(person_id, record, record_id, role)
        self._audit.record(
            actor,
            "person.link",
            str(person_id),
            {"record": record, "id": record_id, "role": role},
        )

    def accuse(self, case_id: int, person_id: int, actor: str) -> None:
        self._cases.accuse(case_id, person_id)
        self._audit.record(actor, "case.accuse", str(case_id), {"person": person_id})

    def add_charge_sheet(
        self,
        case_id: int,
        filed_at: datetime,
        court: str | None,
        number: str | None,
        actor: str,
    ) -> None:
        self._cases.add_charge_sheet(case_id, filed_at, court, number, actor)
        self._audit.record(
            actor,
            "case.charge_sheet",
            str(case_id),
            {"filed_at": filed_at.isoformat(), "court": court, "number": number},
        )

    def record_notice(self, case_id: int, at: datetime, actor: str) -> None:
        self._cases.record_notice(case_id, at, actor)
        self._audit.record(actor, "case.notice", str(case_id), {"at": at.isoformat()})

    def cases(self, actor: str) -> list[dict[str, Any]]:
        rows = self._cases.cases()
        self._audit.record(actor, "case.list", "cases", {"shown": len(rows)})
        return rows

    def set_device_owner(self, label: str, person_id: int, actor: str) -> None:
        """The person a seized device was taken from; its apps' own accounts
        are then his in the directory."""
        self._repository.set_owner(label, person_id)
        self._audit.record(actor, "device.owner", label, {"person": person_id})

    def link_exhibit(self, label: str, exhibit_label: str, actor: str) -> None:
        self._repository.link_exhibit(label, exhibit_label)
        self._audit.record(
            actor, "device.link_exhibit", label, {"exhibit": exhibit_label}
        )

    def board(self, name: str, actor: str) -> list[dict[str, Any]]:
        rows = self._repository.board(name)
        self._audit.record(actor, "operation.board", name, {"searches": len(rows)})
        return rows

    def tally(self, name: str, actor: str) -> OperationTally:
        tally = self._repository.tally(name)
        self._audit.record(actor, "stats.operation", name, {"cases": tally.cases})
        return tally

    def due(self, actor: str, now: datetime | None = None) -> list[Clock]:
        """Every open clock of every case, soonest first."""
        now = now or datetime.now(UTC)
        clocks = [
            clock
            for row in self._cases.case_rows()
            if row["status"] not in ("disposed", "closed")
            for clock in case_clocks(
                row["number"],
                row["registered_at"],
                row["pocso"],
                row["charge_sheeted"],
                row["notice_sent"],
                now,
            )
            if not clock.met
        ]
        clocks += [
            retention_clock(
                f"report {e.report_id}, {e.address}" + (f":{e.port}" if e.port else ""),
                e.at,
                now,
            )
            for e in self._open_events()
            if e.at is not None and e.attribution in _AWAITING
        ]
        self._audit.record(actor, "cases.due", "cases", {"clocks": len(clocks)})
        return sorted(clocks, key=lambda c: c.due)

    def sections(self) -> list[dict[str, Any]]:
        self._repository.seed_sections()
        return self._cases.sections()

    def add_section(self, section: Section, actor: str) -> None:
        self._repository.seed_sections()
        self._cases.add_section(section)
        self._audit.record(actor, "sections.add", section.code, asdict(section))

    def case(
        self, case_id: int, actor: str, now: datetime | None = None
    ) -> dict[str, Any]:
        """A case whole, with its clocks."""
        detail = self._cases.case_detail(case_id)
        registered = datetime.fromisoformat(detail["registered_at"])
        detail["clocks"] = [
            c.as_dict()
            for c in case_clocks(
                detail["number"],
                registered,
                detail["pocso"],
                detail["charge_sheeted"],
                detail["notice_sent"],
                now or datetime.now(UTC),
            )
        ]
        self._audit.record(actor, "case.read", detail["number"], {})
        return detail


def _normalised(
    identifiers: tuple[tuple[str, str | None, str], ...],
) -> list[tuple[str, str | None, str]]:
    result = []
    for kind, service, value in identifiers:
        try:
            found = normalise(IdentifierKind(kind), value, service)
        except (IdentifierError, ValueError) as exc:
            raise InputError(f"{kind} {value!r}: {exc}") from None
        result.append((found.kind.value, found.service, found.value))
    return result
