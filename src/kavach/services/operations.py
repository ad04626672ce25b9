"""The operations board for the web: each operation's tally, its searches (one
without its BNSS s.105 recording flagged) and the station packages — narrowed to
the reader's station for an investigator, and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kavach.access.principal import Principal
from kavach.audit.ports import AuditLog
from kavach.cases.records import OperationTally
from kavach.errors import InputError, NotFoundError
from kavach.reporting.packages import StationPackage
from kavach.services.casework import CaseworkRepository
from kavach.services.stats import PackageQueries


@dataclass(frozen=True)
class PackageLine:
    """One station's package on the board: where, and how many targets."""

    station: str
    police_district: str
    targets: int


@dataclass(frozen=True)
class OperationBoard:
    name: str
    tally: OperationTally
    searches: list[dict[str, Any]]
    packages: list[PackageLine]
    referrals: list[dict[str, Any]]  # open, of the searches shown

    @property
    def without_recording(self) -> list[dict[str, Any]]:
        return [s for s in self.searches if not s["recorded"]]


class OperationService:
    def __init__(
        self,
        casework: CaseworkRepository,
        packages: PackageQueries,
        audit: AuditLog,
    ) -> None:
        self._casework = casework
        self._packages = packages
        self._audit = audit

    def operations(self, reader: Principal) -> list[dict[str, Any]]:
        rows = self._casework.operations()
        self._audit.record(
            reader.name, "operation.list", "operations", {"count": len(rows)}
        )
        return rows

    def progress(self, reader: Principal) -> list[OperationTally]:
        """Each operation's tally (counts only, the whole unit's), newest first:
        what the dashboard shows."""
        tallies = [self._casework.tally(o["name"]) for o in self._casework.operations()]
        self._audit.record(
            reader.name, "operation.progress", "operations", {"count": len(tallies)}
        )
        return tallies

    def board(self, name: str, reader: Principal) -> OperationBoard:
        """The operation as its board shows it; an investigator sees the searches
        and package of their own station, the tally (counts only) of the whole."""
        searches = [
            s for s in self._casework.board(name) if _mine(reader, s["station"])
        ]
        packages = [
            PackageLine(p.station, p.police_district, len(p.targets))
            for p in self._packages.packages(name, reader.name)
            if _mine(reader, p.station)
        ]
        shown = {s["search"] for s in searches}
        referrals = [
            r for r in self._casework.open_referrals(name) if r["search"] in shown
        ]
        tally = self._casework.tally(name)
        self._audit.record(
            reader.name,
            "operation.board",
            name,
            {"searches": sorted(shown), "packages": len(packages)},
        )
        return OperationBoard(name, tally, searches, packages, referrals)

    def close_referral(
        self, name: str, child_ref: str, outcome: str, reader: Principal
    ) -> None:
        """Close a referral of a search the reader's board shows; audited."""
        mine = {
            s["search"]
            for s in self._casework.board(name)
            if _mine(reader, s["station"])
        }
        found = [
            r
            for r in self._casework.open_referrals(name)
            if r["child_ref"] == child_ref and r["search"] in mine
        ]
        if not found:
            raise NotFoundError(f"no open safeguarding referral {child_ref!r} here")
        if not outcome.strip():
            raise InputError("say what the referral came to (the outcome)")
        self._casework.close_referral(child_ref, outcome.strip())
        self._audit.record(
            reader.name, "referral.close", child_ref, {"outcome": outcome.strip()}
        )

    def package(self, name: str, station: str, reader: Principal) -> StationPackage:
        """One station's package (addresses, identifiers, tip summaries — never
        material); audited with the targets it shows."""
        found = next(
            (
                p
                for p in self._packages.packages(name, reader.name)
                if p.station == station and _mine(reader, p.station)
            ),
            None,
        )
        self._audit.record(
            reader.name,
            "operation.package",
            name,
            {
                "station": station,
                "targets": [t.target_id for t in found.targets] if found else [],
            },
        )
        if found is None:
            raise NotFoundError(f"no package for {station!r} in {name!r}")
        return found


def _mine(reader: Principal, station: str | None) -> bool:
    return reader.whole_unit or (station is not None and station == reader.station)
