"""The operations board: every operation, and for one its tally, searches (those
without their BNSS s.105 recording flagged), open safeguarding referrals and the
station packages — an investigator sees their own station's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kavach.access.policy import Permission, allowed
from kavach.api.deps import KavachDep
from kavach.reporting.packages import render_package
from kavach.web.casework import Csrf, may
from kavach.web.pages import PageUser, render

router = APIRouter(include_in_schema=False)


@router.get("/operations")
def operations_page(
    request: Request, kavach: KavachDep, user: PageUser
) -> HTMLResponse:
    kavach.services.records.require(user, Permission.TARGETS_READ)
    rows = kavach.services.operations.operations(user)
    return render("operations.html", user=user, csrf=request.state.csrf, rows=rows)


@router.get("/operations/{name}")
def board_page(
    request: Request, kavach: KavachDep, user: PageUser, name: str
) -> HTMLResponse:
    kavach.services.records.require(user, Permission.TARGETS_READ)
    board = kavach.services.operations.board(name, user)
    return render(
        "operation.html",
        user=user,
        csrf=request.state.csrf,
        board=board,
        may_close=allowed(user, Permission.CASES_WRITE),
    )


@router.get("/operations/{name}/packages/{station}")
def package_page(
    request: Request, kavach: KavachDep, user: PageUser, name: str, station: str
) -> HTMLResponse:
    """The printable package of one station, as the raid team carries it."""
    kavach.services.records.require(user, Permission.TARGETS_READ)
    package = kavach.services.operations.package(name, station, user)
    return HTMLResponse(render_package(package))


@router.post("/operations/{name}/referrals")
def close_referral(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    name: str,
    token: Csrf,
    child_ref: Annotated[str, Form()],
    outcome: Annotated[str, Form()],
) -> Response:
    may(request, kavach, user, token, Permission.CASES_WRITE)
    kavach.services.operations.close_referral(name, child_ref, outcome, user)
    return RedirectResponse(f"/operations/{name}", status_code=303)
