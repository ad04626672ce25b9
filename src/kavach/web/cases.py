"""Cases in the browser: one case whole (accused, arrests, reports, outcomes,
history and its clocks) with the forms to record an arrest and an outcome, and the
form to register an FIR or a seizure report. An investigator works only on their
own station's cases: another station's is "not found", by URL too."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kavach.access.policy import Permission, allowed
from kavach.access.principal import Principal
from kavach.access.roles import UserRole
from kavach.api.deps import KavachDep, source_of
from kavach.cases.records import NewArrest, NewCase, NewOutcome, NewPerson
from kavach.casework_vocabulary import CaseKind, Outcome
from kavach.errors import InputError
from kavach.services.records import RecordKind
from kavach.web.casework import Csrf, may, moment
from kavach.web.pages import PageUser, render

router = APIRouter(include_in_schema=False)


def _visible(
    request: Request, kavach: KavachDep, user: Principal, case_id: int
) -> None:
    """``NotFoundError`` for a case outside the user's scope (audited as a read)."""
    kavach.services.records.one(RecordKind.CASES, user, case_id, source_of(request))


def _number(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise InputError(f"{field}: a number, not {text!r}")
    return int(text)


@router.get("/cases/new")
def case_form(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.CASES_WRITE)
    return render(
        "case_new.html",
        user=user,
        csrf=request.state.csrf,
        kinds=list(CaseKind),
        sections=kavach.services.casework.sections(),
        year=datetime.now(UTC).year,
    )


@router.post("/cases/new")
def register_case(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    kind: Annotated[CaseKind, Form()],
    year: Annotated[int, Form()],
    serial: Annotated[int, Form()],
    sections: Annotated[str, Form()],
    station: Annotated[str, Form()] = "",
    operation: Annotated[str, Form()] = "",
    search_id: Annotated[str, Form()] = "",
    at: Annotated[str, Form()] = "",
) -> Response:
    may(request, kavach, user, token, Permission.CASES_WRITE)
    if user.role is UserRole.INVESTIGATOR:
        station = user.station or ""  # a station officer registers their own
    codes = tuple(c.strip() for c in sections.split(",") if c.strip())
    case_id, _ = kavach.services.casework.register_case(
        NewCase(
            kind, station, year, serial, moment(at), codes, operation.strip() or None,
            _number(search_id, "search"),
        ),
        user.name,
    )  # fmt: skip
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}")
def case_page(
    request: Request, kavach: KavachDep, user: PageUser, case_id: int
) -> HTMLResponse:
    _visible(request, kavach, user, case_id)
    detail = kavach.services.casework.case(case_id, user.name)
    # The repeat flag: an accused the directory knows convicted in another case.
    directory = kavach.services.directory
    repeats = {
        a["id"]: directory.earlier_convictions(a["id"], case_id, user.name, False)
        for a in detail["accused"]
    }
    return render(
        "case.html",
        user=user,
        csrf=request.state.csrf,
        case=detail,
        repeats=repeats,
        outcomes=list(Outcome),
        may_write=allowed(user, Permission.CASES_WRITE),
    )


@router.post("/cases/{case_id}/arrests")
def record_arrest(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    case_id: int,
    token: Csrf,
    by: Annotated[str, Form()],
    person_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    at: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
) -> Response:
    may(request, kavach, user, token, Permission.CASES_WRITE)
    _visible(request, kavach, user, case_id)
    casework = kavach.services.casework
    known = _number(person_id, "person")
    if known is not None:
        casework.add_arrest(
            NewArrest(case_id, known, moment(at), by, place or None), user.name
        )
    elif name.strip():
        casework.arrest_new_person(
            case_id, NewPerson(name.strip()), moment(at), by, place or None, user.name
        )
    else:
        raise InputError("choose an accused person, or give the name of a new one")
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/outcome")
def record_outcome(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    case_id: int,
    token: Csrf,
    outcome: Annotated[Outcome, Form()],
    at: Annotated[str, Form()] = "",
    person_id: Annotated[str, Form()] = "",
    court: Annotated[str, Form()] = "",
    sentence: Annotated[str, Form()] = "",
) -> Response:
    may(request, kavach, user, token, Permission.CASES_WRITE)
    _visible(request, kavach, user, case_id)
    kavach.services.casework.add_outcome(
        NewOutcome(
            case_id, outcome, moment(at), _number(person_id, "person"),
            court or None, sentence or None,
        ),
        user.name,
    )  # fmt: skip
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
