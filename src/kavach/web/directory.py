"""The directory, the network and the watchlist's alerts, as pages for the unit.

Persons reach across stations, so these pages need ``persons.read`` (the unit's
supervisors, analysts and administrators), as the persons page does. Each page
calls the same service as the CLI; every look is audited there.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kavach.access.policy import Permission, allowed
from kavach.api.deps import KavachDep
from kavach.errors import InputError
from kavach.services.watch import PINNABLE
from kavach.web.casework import Csrf, may
from kavach.web.pages import PageUser, render

router = APIRouter(include_in_schema=False)


@router.get("/directory")
def directory_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.PERSONS_READ)
    profiles = kavach.services.directory.recurring(user.name)
    return render(
        "directory.html", user=user, csrf=request.state.csrf, profiles=profiles
    )


@router.get("/directory/{person_id}")
def directory_person_page(
    request: Request, kavach: KavachDep, user: PageUser, person_id: int
) -> HTMLResponse:
    kavach.services.records.require(user, Permission.PERSONS_READ)
    profile = kavach.services.directory.profile(person_id, user.name)
    links = kavach.services.directory.explain(person_id, user.name)
    return render(
        "directory_person.html",
        user=user,
        csrf=request.state.csrf,
        p=profile,
        links=links,
        may_decide=allowed(user, Permission.PERSONS_WRITE),
    )


@router.post("/directory/{person_id}/decide")
def decide(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    person_id: int,
    token: Csrf,
    decision: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    other: Annotated[str, Form()] = "",
    records: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """An analyst's decision on the person page: merge with another person, never
    link with another person, or split records off (each with a reason, audited
    by the service as on the command line)."""
    may(request, kavach, user, token, Permission.PERSONS_WRITE)
    directory = kavach.services.directory
    if decision == "split":
        directory.split(person_id, records or [], reason, user.name)
    elif decision in ("merge", "never"):
        if not other.strip().isdigit():
            raise InputError(f"{decision}: give the other person's number")
        act = directory.merge if decision == "merge" else directory.never_persons
        act(person_id, int(other), reason, user.name)
    else:
        raise InputError(f"{decision!r}: decide merge, never or split")
    shown = directory.now_filed_as(person_id)
    return RedirectResponse(f"/directory/{shown}", status_code=303)


@router.post("/directory/{person_id}/watch")
def watch_person(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    person_id: int,
    token: Csrf,
    note: Annotated[str, Form()] = "",
    station: Annotated[str, Form()] = "",
) -> Response:
    """Put the man on the watchlist: his new records raise alerts from now on."""
    may(request, kavach, user, token, Permission.PERSONS_WRITE)
    # The watch repository refuses a person the directory does not hold (404).
    kavach.services.watch.watch_person(
        person_id, user.name, station.strip() or None, note.strip() or None
    )
    return RedirectResponse("/watch/alerts", status_code=303)


@router.post("/watch")
def pin_watch(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    kind: Annotated[str, Form()],
    value: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    station: Annotated[str, Form()] = "",
) -> Response:
    """Watch a number, an address, an account, an IMEI or a group: the records
    that hold it raise alerts from now on (normalised as tips normalise them)."""
    may(request, kavach, user, token, Permission.PERSONS_WRITE)
    kavach.services.watch.pin(
        kind, value.strip(), user.name, station.strip() or None, note.strip() or None
    )
    return RedirectResponse("/watch/alerts", status_code=303)


@router.post("/watch/{watch_id}/end")
def end_watch(
    request: Request, kavach: KavachDep, user: PageUser, watch_id: int, token: Csrf
) -> Response:
    may(request, kavach, user, token, Permission.PERSONS_WRITE)
    kavach.services.watch.end(watch_id, user.name)
    return RedirectResponse("/watch/alerts", status_code=303)


@router.get("/network")
def network_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.PERSONS_READ)
    network = kavach.services.network.network(user.name)
    return render("network.html", user=user, csrf=request.state.csrf, network=network)


@router.get("/watch/alerts")
def alerts_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.PERSONS_READ)
    alerts = kavach.services.watch.alerts(user.name)
    watches = kavach.services.watch.watches(user.name)
    return render(
        "alerts.html",
        user=user,
        csrf=request.state.csrf,
        alerts=alerts,
        watches=watches,
        pinnable=PINNABLE,
        may_decide=allowed(user, Permission.PERSONS_WRITE),
    )
