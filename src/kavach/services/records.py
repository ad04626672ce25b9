"""Reading the unit's records for the API and the pages: every read is checked
against the reader's role, narrowed to what they may see, and audited — a look at
a tip, case, exhibit or person leaves a trace naming the records shown."""

from __future__ import annotations

from enum import StrEnum

from kavach.access.policy import Permission, allowed, visibility_of
from kavach.access.principal import Principal
from kavach.access.reads import Page, Paging, RecordQueries, Row
from kavach.audit.ports import AuditLog
from kavach.errors import InputError, NotFoundError, PermissionDeniedError

MAX_PAGE = 500


class RecordKind(StrEnum):
    TIPS = "tips"
    TARGETS = "targets"
    CASES = "cases"
    EXHIBITS = "exhibits"
    HITS = "hits"
    PERSONS = "persons"
    AUDIT = "audit"


NEEDS = {
    RecordKind.TIPS: Permission.TIPS_READ,
    RecordKind.TARGETS: Permission.TARGETS_READ,
    RecordKind.CASES: Permission.CASES_READ,
    RecordKind.EXHIBITS: Permission.EXHIBITS_READ,
    RecordKind.HITS: Permission.HITS_READ,
    RecordKind.PERSONS: Permission.PERSONS_READ,
    RecordKind.AUDIT: Permission.AUDIT_READ,
}


class RecordService:
    def __init__(self, queries: RecordQueries, audit: AuditLog) -> None:
        self._queries = queries
        self._audit = audit

    def page(
        self,
        kind: RecordKind,
        reader: Principal,
        limit: int = 50,
        offset: int = 0,
        source: str | None = None,
        after: int | None = None,
    ) -> Page:
        """One page of ``kind`` that ``reader`` may see, newest first — after
        record ``after`` when given, else past ``offset`` rows; audited with the
        ids shown."""
        self._check(reader, NEEDS[kind])
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise InputError(f"limit 1 to {MAX_PAGE}, offset 0 or more")
        found = self._fetch(kind, reader, Paging(limit, offset, after))
        self._audit.record(
            reader.name,
            f"{kind.value}.list",
            kind.value,
            {
                "ids": [i["id"] for i in found.items],
                "total": found.total,
                "offset": offset,
                "after": after,
                "via": reader.via,
                "from": source,
            },
        )
        return found

    def totals(self, reader: Principal, source: str | None) -> dict[str, int]:
        """How many of each kind of record (but the audit log) ``reader`` may see;
        one audit entry for the whole count, no record shown."""
        totals = {
            kind.value: self._fetch(kind, reader, Paging(1)).total
            for kind in RecordKind
            if kind is not RecordKind.AUDIT and allowed(reader, NEEDS[kind])
        }
        self._audit.record(
            reader.name, "records.totals", "records", {**totals, "from": source}
        )
        return totals

    def _fetch(self, kind: RecordKind, reader: Principal, paging: Paging) -> Page:
        q = self._queries
        if kind is RecordKind.AUDIT:
            return q.audit(paging, None)
        return {
            RecordKind.TIPS: q.tips,
            RecordKind.TARGETS: q.targets,
            RecordKind.CASES: q.cases,
            RecordKind.EXHIBITS: q.exhibits,
            RecordKind.HITS: q.hits,
            RecordKind.PERSONS: q.persons,
        }[kind](visibility_of(reader), paging)

    def one(
        self, kind: RecordKind, reader: Principal, record_id: int, source: str | None
    ) -> Row:
        """One record whole; a record outside the reader's scope is "not found"
        (its existence is not told), and the attempt is audited too."""
        self._check(reader, NEEDS[kind])
        scope = visibility_of(reader)
        q = self._queries
        readers = {
            RecordKind.TIPS: q.tip,
            RecordKind.CASES: q.case,
            RecordKind.EXHIBITS: q.exhibit,
            RecordKind.PERSONS: q.person,
        }
        if kind not in readers:
            raise NotFoundError(f"no single {kind.value} record view")
        row = readers[kind](scope, record_id)
        self._audit.record(
            reader.name,
            f"{kind.value}.read",
            str(record_id),
            {"found": row is not None, "via": reader.via, "from": source},
        )
        if row is None:
            raise NotFoundError(f"no {kind.value.rstrip('s')} {record_id}")
        return row

    def require(self, reader: Principal, permission: Permission) -> None:
        """``PermissionDeniedError`` (audited) unless the role holds ``permission``."""
        self._check(reader, permission)

    def _check(self, reader: Principal, permission: Permission) -> None:
        if not allowed(reader, permission):
            self._audit.record(
                reader.name, "access.denied", permission.value, {"role": reader.role}
            )
            raise PermissionDeniedError(
                f"{reader.role} may not {permission.value.replace('.', ' ')}"
            )
