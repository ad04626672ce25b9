"""GET /api/tips, /api/targets, /api/cases, /api/exhibits, /api/hits, /api/persons,
/api/audit (paged: ``?limit=`` 1–500, default 50; ``?offset=``) and single records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kavach.api.deps import KavachDep, PrincipalDep, SourceDep
from kavach.services.records import MAX_PAGE, RecordKind

router = APIRouter(prefix="/api", tags=["records"])

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0)]


class PageOut(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def _lister(kind: RecordKind) -> Any:
    def list_records(
        kavach: KavachDep,
        reader: PrincipalDep,
        source: SourceDep,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> PageOut:
        page = kavach.services.records.page(kind, reader, limit, offset, source)
        return PageOut(
            items=page.items, total=page.total, limit=page.limit, offset=page.offset
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
