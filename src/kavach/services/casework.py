"""Operations, searches, seizures, custody, cases and their figures, each audited."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Protocol

from kavach.audit.ports import AuditLog
from kavach.cases.clocks import Clock, case_clocks
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


class CaseworkRepository(Protocol):
    def seed_sections(self) -> int: ...
    def create_operation(self, new: NewOperation, actor: str) -> int: ...
    def add_targets(self, name: str, target_ids: list[int]) -> int: ...
    def record_search(self, new: NewSearch, actor: str) -> int: ...
    def close_referral(self, child_ref: str, outcome: str) -> None: ...
    def seize_device(self, new: NewDevice, actor: str) -> int: ...
    def add_custody(self, new: NewCustodyStep, actor: str) -> None: ...
    def custody_log(self, label: str) -> list[CustodyEntry]: ...
    def add_person(self, new: NewPerson, actor: str) -> int: ...
    def register_case(self, new: NewCase, actor: str) -> tuple[int, str]: ...
    def add_arrest(self, new: NewArrest, actor: str) -> int: ...
    def add_outcome(self, new: NewOutcome, actor: str) -> None: ...
    def tally(self, name: str) -> OperationTally: ...
    def case_rows(self) -> list[dict[str, Any]]: ...


def _plain(value: Any) -> dict[str, Any]:
    return {
        k: (str(v) if not isinstance(v, int | str | None) else v)
        for k, v in asdict(value).items()
    }


class CaseworkService:
    def __init__(self, repository: CaseworkRepository, audit: AuditLog) -> None:
        self._repository = repository
        self._audit = audit

    def seed_sections(self, actor: str) -> int:
        added = self._repository.seed_sections()
        if added:
            self._audit.record(
                actor, "sections.seed", "legal_section", {"added": added}
            )
        return added

    def create_operation(self, new: NewOperation, actor: str) -> int:
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
        search_id = self._repository.record_search(new, actor)
        self._audit.record(actor, "search.record", str(search_id), _plain(new))
        return search_id

    def close_referral(self, child_ref: str, outcome: str, actor: str) -> None:
        self._repository.close_referral(child_ref, outcome)
        self._audit.record(actor, "referral.close", child_ref, {"outcome": outcome})

    def seize_device(self, new: NewDevice, actor: str) -> int:
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
        person_id = self._repository.add_person(new, actor)
        self._audit.record(actor, "person.add", str(person_id), {"name": new.name})
        return person_id

    def register_case(self, new: NewCase, actor: str) -> tuple[int, str]:
        self._repository.seed_sections()  # the seeded sections exist before any case
        case_id, number = self._repository.register_case(new, actor)
        self._audit.record(actor, "case.register", number, _plain(new))
        return case_id, number

    def add_arrest(self, new: NewArrest, actor: str) -> int:
        arrest_id = self._repository.add_arrest(new, actor)
        self._audit.record(actor, "arrest.add", str(new.case_id), _plain(new))
        return arrest_id

    def add_outcome(self, new: NewOutcome, actor: str) -> None:
        self._repository.add_outcome(new, actor)
        self._audit.record(actor, "case.outcome", str(new.case_id), _plain(new))

    def tally(self, name: str, actor: str) -> OperationTally:
        tally = self._repository.tally(name)
        self._audit.record(actor, "stats.operation", name, {"cases": tally.cases})
        return tally

    def due(self, actor: str, now: datetime | None = None) -> list[Clock]:
        """Every open clock of every case, soonest first."""
        now = now or datetime.now(UTC)
        clocks = [
            clock
            for row in self._repository.case_rows()
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
        self._audit.record(actor, "cases.due", "cases", {"clocks": len(clocks)})
        return sorted(clocks, key=lambda c: c.due)
