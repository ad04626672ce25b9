"""Administration in the browser: accounts (add, change role / station / lab,
disable, enable) and the unit's police districts with their stations. Each form
is one service call, which writes its audit entry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kavach.access.policy import Permission
from kavach.access.roles import UserRole
from kavach.api.deps import KavachDep
from kavach.web.casework import Csrf, may
from kavach.web.pages import PageUser, render

router = APIRouter(include_in_schema=False)
USERS = "/admin/users"


def _done(path: str = USERS) -> Response:
    return RedirectResponse(path, status_code=303)


@router.get(USERS)
def users_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.USERS_ADMIN)
    accounts = kavach.services.accounts.list_users(user.name)
    return render(
        "users.html",
        user=user,
        csrf=request.state.csrf,
        accounts=accounts,
        roles=list(UserRole),
    )


@router.post(USERS)
def add_user(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    name: Annotated[str, Form()],
    role: Annotated[UserRole, Form()],
    password: Annotated[str, Form()],
    station: Annotated[str, Form()] = "",
    lab: Annotated[str, Form()] = "",
) -> Response:
    may(request, kavach, user, token, Permission.USERS_ADMIN)
    kavach.services.accounts.add_user(
        name, role, password, station or None, lab or None, user.name
    )
    return _done()


@router.post(USERS + "/{name}/assign")
def assign_user(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    name: str,
    token: Csrf,
    role: Annotated[UserRole, Form()],
    station: Annotated[str, Form()] = "",
    lab: Annotated[str, Form()] = "",
) -> Response:
    may(request, kavach, user, token, Permission.USERS_ADMIN)
    kavach.services.accounts.assign(
        name, role, station.strip() or None, lab.strip() or None, user.name
    )
    return _done()


@router.post(USERS + "/{name}/disable")
def disable_user(
    request: Request, kavach: KavachDep, user: PageUser, name: str, token: Csrf
) -> Response:
    may(request, kavach, user, token, Permission.USERS_ADMIN)
    kavach.services.accounts.disable_user(name, user.name)
    return _done()


@router.post(USERS + "/{name}/enable")
def enable_user(
    request: Request, kavach: KavachDep, user: PageUser, name: str, token: Csrf
) -> Response:
    may(request, kavach, user, token, Permission.USERS_ADMIN)
    kavach.services.accounts.enable_user(name, user.name)
    return _done()


@router.get("/admin/units")
def units_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.USERS_ADMIN)
    units = kavach.services.units
    units.ensure_loaded(user.name)
    return render(
        "units.html",
        user=user,
        csrf=request.state.csrf,
        districts=units.directory().all_police_districts(),
    )


@router.post("/admin/units/stations")
def add_station(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    police_district: Annotated[str, Form()],
    name: Annotated[str, Form()],
) -> Response:
    may(request, kavach, user, token, Permission.USERS_ADMIN)
    kavach.services.units.add_station(police_district, name.strip(), user.name)
    return _done("/admin/units")


@router.post("/admin/units/localities")
def add_locality(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    police_district: Annotated[str, Form()],
    locality: Annotated[str, Form()],
) -> Response:
    may(request, kavach, user, token, Permission.USERS_ADMIN)
    kavach.services.units.add_locality(police_district, locality.strip(), user.name)
    return _done("/admin/units")
