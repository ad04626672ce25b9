"""The directory, the network and the watchlist's alerts, as pages for the unit.

Persons reach across stations, so these pages need ``persons.read`` (the unit's
supervisors, analysts and administrators), as the persons page does. Each page
calls the same service as the CLI; every look is audited there.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kavach.access.policy import Permission
from kavach.api.deps import KavachDep
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
    )


@router.get("/network")
def network_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.PERSONS_READ)
    network = kavach.services.network.network(user.name)
    return render("network.html", user=user, csrf=request.state.csrf, network=network)


@router.get("/watch/alerts")
def alerts_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.PERSONS_READ)
    alerts = kavach.services.watch.alerts(user.name)
    return render("alerts.html", user=user, csrf=request.state.csrf, alerts=alerts)
