"""Casework forms: import a tip file, route a tip, record a search, a seized device
and a custody step. Each form carries the session's CSRF token; each action is
one service call, which writes its audit entry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kavach.access.policy import Permission
from kavach.access.roles import UserRole
from kavach.api.deps import KavachDep
from kavach.cases.records import NewCustodyStep, NewDevice, NewSearch
from kavach.casework_vocabulary import CustodyStep
from kavach.errors import InputError
from kavach.services.tips import TipImportOptions
from kavach.tips.times import TimeError, parse_time
from kavach.web import csrf
from kavach.web.pages import PageUser, render

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(alias="csrf")]


def may(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: str,
    permission: Permission,
) -> None:
    """A form's two checks: its CSRF token is the session's, and the role may."""
    if not csrf.session_ok(request.state.csrf, token):
        raise InputError("the form expired; go back and try again")
    kavach.services.records.require(user, permission)


def moment(text: str) -> datetime:
    if not text.strip():
        return datetime.now(UTC)
    try:
        return parse_time(text)
    except TimeError as error:
        raise InputError(f"time {text!r}: {error}") from None


def _form(
    request: Request, user: PageUser, name: str, **context: object
) -> HTMLResponse:
    return render(name, 200, user=user, csrf=request.state.csrf, **context)


@router.get("/tips/import")
def import_form(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.TIPS_WRITE)
    return _form(request, user, "tip_import.html", result=None)


@router.post("/tips/import")
def import_tips(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    upload: Annotated[UploadFile, File()],
) -> HTMLResponse:
    may(request, kavach, user, token, Permission.TIPS_WRITE)
    # Kept under the data folder: the tip file is the unit's record of what came.
    folder = kavach.settings.resolved_data_dir() / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / Path(upload.filename or "tips").name
    with path.open("wb") as out:
        while block := upload.file.read(1 << 20):
            out.write(block)
    result = kavach.services.tips.import_paths([path], TipImportOptions(), user.name)
    return _form(request, user, "tip_import.html", result=result.saved)


@router.post("/tips/{tip_id}/route")
def route_tip(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    tip_id: int,
    token: Csrf,
    station: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    may(request, kavach, user, token, Permission.TIPS_WRITE)
    kavach.services.tips.route(tip_id, station, user.name, note or None)
    return RedirectResponse(f"/tips/{tip_id}", status_code=303)


@router.get("/searches/new")
def search_form(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.FIELD_WRITE)
    return _form(request, user, "search_new.html", done=None)


@router.post("/searches/new")
def record_search(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    location: Annotated[str, Form()],
    team_lead: Annotated[str, Form()],
    station: Annotated[str, Form()] = "",
    at: Annotated[str, Form()] = "",
    operation: Annotated[str, Form()] = "",
) -> HTMLResponse:
    may(request, kavach, user, token, Permission.FIELD_WRITE)
    if user.role is UserRole.INVESTIGATOR:
        station = user.station or ""  # a station officer records their own
    search_id = kavach.services.casework.record_search(
        NewSearch(operation or None, location, moment(at), team_lead, station or None),
        user.name,
    )
    return _form(request, user, "search_new.html", done=search_id)


@router.post("/seizures/new")
def seize_device(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    label: Annotated[str, Form()],
    device_type: Annotated[str, Form()],
    search_id: Annotated[str, Form()] = "",
    make: Annotated[str, Form()] = "",
    model: Annotated[str, Form()] = "",
    imei: Annotated[str, Form()] = "",
    serial: Annotated[str, Form()] = "",
    seal: Annotated[str, Form()] = "",
    at: Annotated[str, Form()] = "",
) -> HTMLResponse:
    may(request, kavach, user, token, Permission.FIELD_WRITE)
    kavach.services.casework.seize_device(
        NewDevice(
            label,
            device_type,
            moment(at),
            int(search_id) if search_id.strip() else None,
            make or None,
            model or None,
            imei or None,
            serial or None,
            seal or None,
        ),
        user.name,
    )
    return _custody_page(request, kavach, user, label)


@router.post("/custody/new")
def add_custody(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    device: Annotated[str, Form()],
    step: Annotated[CustodyStep, Form()],
    by: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    remarks: Annotated[str, Form()] = "",
    at: Annotated[str, Form()] = "",
) -> HTMLResponse:
    may(request, kavach, user, token, Permission.FIELD_WRITE)
    kavach.services.casework.add_custody(
        NewCustodyStep(
            device, step, moment(at), by or user.name, place or None, remarks or None
        ),
        user.name,
    )
    return _custody_page(request, kavach, user, device)


@router.get("/devices/{label}")
def device(
    request: Request, kavach: KavachDep, user: PageUser, label: str
) -> HTMLResponse:
    kavach.services.records.require(user, Permission.FIELD_WRITE)
    return _custody_page(request, kavach, user, label)


def _custody_page(
    request: Request, kavach: KavachDep, user: PageUser, label: str
) -> HTMLResponse:
    log = kavach.services.casework.custody_log(label, user.name)
    return _form(
        request, user, "device.html", label=label, log=log, steps=list(CustodyStep)
    )
