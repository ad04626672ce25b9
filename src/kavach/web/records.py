"""The record pages: tips, targets, cases, exhibits, hits (with review) and the
audit log (with a CSV export). Each calls one service and renders."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kavach.access.policy import Permission, allowed
from kavach.api.deps import KavachDep, source_of
from kavach.reporting.exports import safe_text
from kavach.services.records import RecordKind
from kavach.vocabulary import AgeBand, Review
from kavach.web import csrf
from kavach.web.pages import PageUser, render

router = APIRouter(include_in_schema=False)
PAGE = 50
LISTED = (
    RecordKind.TIPS,
    RecordKind.TARGETS,
    RecordKind.CASES,
    RecordKind.EXHIBITS,
    RecordKind.HITS,
    RecordKind.PERSONS,
    RecordKind.AUDIT,
)


def _list(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    kind: RecordKind,
    offset: int,
    after: int | None,
) -> HTMLResponse:
    # "next" follows the keyset (?after=), as fast on page 2,000 as on page 2.
    page = kavach.services.records.page(
        kind, user, PAGE, max(offset, 0), source_of(request), after
    )
    return render(
        f"{kind.value}.html",
        user=user,
        csrf=request.state.csrf,
        page=page,
        previous=max(page.offset - PAGE, 0) if page.offset else None,
        next=page.next_after,
        may_register=allowed(user, Permission.CASES_WRITE),
    )


@router.get("/tips/{tip_id}")
def tip(
    request: Request, kavach: KavachDep, user: PageUser, tip_id: int
) -> HTMLResponse:
    row = kavach.services.records.one(RecordKind.TIPS, user, tip_id, source_of(request))
    return render("tip.html", user=user, csrf=request.state.csrf, tip=row)


@router.post("/hits/{hit_id}/review")
def review_hit(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    hit_id: int,
    decision: Annotated[Review, Form()],
    token: Annotated[str, Form(alias="csrf")] = "",
    age_band: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    if not csrf.session_ok(request.state.csrf, token):
        return render("error.html", 400, user=user, csrf=request.state.csrf,
                      message="The form expired; go back and try again.")  # fmt: skip
    kavach.services.records.require(user, Permission.HITS_REVIEW)
    kavach.services.hits.review(
        hit_id,
        decision,
        user.name,
        note or None,
        category or None,
        AgeBand(age_band) if age_band else None,
    )
    return RedirectResponse(request.headers.get("referer") or "/hits", status_code=303)


@router.get("/audit/verify")
def audit_verify(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    """The hash chain checked whole; names the first entry edited or removed."""
    kavach.services.records.require(user, Permission.AUDIT_READ)
    result = kavach.services.audit.check(user.name)
    return render(
        "audit_verify.html", 200 if result.broken_id is None else 409,
        user=user, csrf=request.state.csrf, result=result,
    )  # fmt: skip


@router.get("/audit.csv")
def audit_csv(
    request: Request, kavach: KavachDep, user: PageUser, offset: int = 0
) -> Response:
    """The page of the audit log shown, as CSV (the export is audited too)."""
    page = kavach.services.records.page(
        RecordKind.AUDIT, user, 500, max(offset, 0), source_of(request)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "at", "actor", "action", "target", "detail"])
    for row in page.items:
        cells = [row["actor"], row["action"], row["target"], json.dumps(row["detail"])]
        writer.writerow([row["id"], row["at"], *(safe_text(c) for c in cells)])
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


def _lister(kind: RecordKind) -> Any:
    def list_page(
        request: Request,
        kavach: KavachDep,
        user: PageUser,
        offset: int = 0,
        after: int | None = None,
    ) -> HTMLResponse:
        return _list(request, kavach, user, kind, offset, after)

    list_page.__name__ = f"{kind.value}_page"
    return list_page


for _kind in LISTED:
    router.add_api_route(f"/{_kind.value}", _lister(_kind), methods=["GET"])
