"""GET /api/tips, /api/targets, /api/cases, /api/exhibits, /api/hits, /api/persons,
/api/audit (paged: ``?limit=`` 1–500, default 50; ``?after=`` the ``next_after`` of
the page before, or ``?offset=``) and single records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kavach.api.deps import KavachDep, PrincipalDep, SourceDep
from kavach.services.records import MAX_PAGE, RecordKind

router = APIRouter(prefix="/api", tags=["records"])

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0)]
# Keyset paging: the records after this one, in the list's order (``next_after``
# of the page before); as fast deep in a list as at its top, unlike ``offset``.
After = Annotated[int | None, Query(ge=1)]


class PageOut(BaseModel):
    items: list[dict[str, Any]]
    total: int  # exact on the first page; on later pages at most a minute old
    limit: int
    offset: int
    after: int | None = None
    next_after: int | None = None  # give it as ?after= for the next page


def _lister(kind: RecordKind) -> Any:
    def list_records(
        kavach: KavachDep,
        reader: PrincipalDep,
        source: SourceDep,
        limit: Limit = 50,
        offset: Offset = 0,
        after: After = None,
    ) -> PageOut:
        page = kavach.services.records.page(kind, reader, limit, offset, source, after)
        return PageOut(
            items=page.items,
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            after=page.after,
            next_after=page.next_after,
        )

    list_records.__name__ = f"list_{kind.value}"
    list_records.__doc__ = f"One page of {kind.value} the caller may see."
    return list_records


def _reader(kind: RecordKind) -> Any:
    def read_record(
        record_id: int, kavach: KavachDep, reader: PrincipalDep, source: SourceDep
    ) -> dict[str, Any]:
        return kavach.services.records.one(kind, reader, record_id, source)

    read_record.__name__ = f"read_{kind.value}"
    read_record.__doc__ = f"One of the {kind.value}, whole (audited)."
    return read_record


for _kind in RecordKind:
    router.add_api_route(
        f"/{_kind.value}", _lister(_kind), methods=["GET"], response_model=PageOut
    )
for _kind in (
    RecordKind.TIPS,
    RecordKind.CASES,
    RecordKind.EXHIBITS,
    RecordKind.PERSONS,
):
    router.add_api_route(
        f"/{_kind.value}/{{record_id}}", _reader(_kind), methods=["GET"]
    )
