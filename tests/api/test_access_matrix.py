"""Every route, every role: allowed gives 2xx, denied 403, anonymous 401 — and a
route the matrix does not list fails the suite."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from kavach.access.roles import UserRole
from kavach.api.app import create_app
from kavach.cases.records import NewSearch
from kavach.demo.operation import OPERATION
from tests.api.conftest import PASSWORD, Served, _name, signed_in
from tests.helpers.casework import person, report, write_reports
from tests.helpers.jobs import interrupted_scan

R = UserRole
ALL = frozenset(UserRole)
PUBLIC = "public"  # answers anonymous requests, with no data
CASEWORK = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.ANALYST, R.INVESTIGATOR})
LAB = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.ANALYST, R.EXAMINER})
UNIT = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.ANALYST})
OVERSIGHT = frozenset({R.ADMINISTRATOR, R.SUPERVISOR})
REVIEWERS = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.EXAMINER})
TIP_DESK = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.ANALYST})
ADMIN = frozenset({R.ADMINISTRATOR})
FIELD = frozenset(set(UserRole) - {R.VIEWER})
CASE_DESK = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.INVESTIGATOR})

# (method, path) -> the roles allowed; written out here, not derived from the code.
MATRIX: dict[tuple[str, str], frozenset[UserRole] | str] = {
    ("GET", "/api/openapi.json"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,
    ("GET", "/api/docs/oauth2-redirect"): PUBLIC,
    ("POST", "/api/auth/token"): PUBLIC,
    ("GET", "/api/auth/me"): ALL,
    ("GET", "/api/tips"): CASEWORK,
    ("GET", "/api/tips/{record_id}"): CASEWORK,
    ("GET", "/api/targets"): CASEWORK,
    ("GET", "/api/cases"): CASEWORK,
    ("GET", "/api/cases/{record_id}"): CASEWORK,
    ("GET", "/api/exhibits"): LAB,
    ("GET", "/api/exhibits/{record_id}"): LAB,
    ("GET", "/api/hits"): LAB,
    ("GET", "/api/persons"): UNIT,
    ("GET", "/api/persons/{record_id}"): UNIT,
    ("GET", "/api/audit"): OVERSIGHT,
    ("GET", "/api/jobs"): REVIEWERS,
    ("GET", "/api/jobs/{job_id}"): REVIEWERS,
    # Pages: by session cookie (anonymous: 303 to the sign-in page).
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): ALL,
    ("GET", "/"): ALL,
    ("GET", "/tips"): CASEWORK,
    ("GET", "/tips/{tip_id}"): CASEWORK,
    ("GET", "/targets"): CASEWORK,
    ("GET", "/cases"): CASEWORK,
    ("GET", "/cases/{case_id}"): CASEWORK,
    ("GET", "/exhibits"): LAB,
    ("GET", "/hits"): LAB,
    ("POST", "/hits/{hit_id}/review"): REVIEWERS,
    ("GET", "/tips/import"): TIP_DESK,
    ("POST", "/tips/import"): TIP_DESK,
    ("POST", "/tips/{tip_id}/route"): TIP_DESK,
    ("GET", "/searches/new"): FIELD,
    ("POST", "/searches/new"): FIELD,
    ("POST", "/seizures/new"): FIELD,
    ("POST", "/custody/new"): FIELD,
    ("GET", "/devices/{label}"): FIELD,
    ("GET", "/audit"): OVERSIGHT,
    ("GET", "/audit.csv"): OVERSIGHT,
    ("GET", "/audit/verify"): OVERSIGHT,
    ("GET", "/persons"): UNIT,
    ("GET", "/directory"): UNIT,
    ("GET", "/directory/{person_id}"): UNIT,
    ("POST", "/directory/{person_id}/decide"): UNIT,
    ("POST", "/directory/{person_id}/watch"): UNIT,
    ("POST", "/watch"): UNIT,
    ("POST", "/watch/{watch_id}/end"): UNIT,
    ("GET", "/network"): UNIT,
    ("GET", "/watch/alerts"): UNIT,
    ("GET", "/hashsets"): LAB,
    ("POST", "/hashsets/import"): REVIEWERS,
    ("GET", "/scans/new"): REVIEWERS,
    ("POST", "/scans/new"): REVIEWERS,
    ("GET", "/jobs"): REVIEWERS,
    ("GET", "/jobs/{job_id}"): REVIEWERS,
    ("GET", "/jobs/{job_id}/progress"): REVIEWERS,
    ("POST", "/jobs/{job_id}/resume"): REVIEWERS,
    ("GET", "/operations"): CASEWORK,
    ("GET", "/operations/{name}"): CASEWORK,
    ("GET", "/operations/{name}/packages/{station}"): CASEWORK,
    ("POST", "/operations/{name}/referrals"): CASE_DESK,
    ("GET", "/cases/new"): CASE_DESK,
    ("POST", "/cases/new"): CASE_DESK,
    ("POST", "/cases/{case_id}/arrests"): CASE_DESK,
    ("POST", "/cases/{case_id}/outcome"): CASE_DESK,
    ("GET", "/admin/users"): ADMIN,
    ("POST", "/admin/users"): ADMIN,
    ("POST", "/admin/users/{name}/assign"): ADMIN,
    ("POST", "/admin/users/{name}/disable"): ADMIN,
    ("POST", "/admin/users/{name}/enable"): ADMIN,
    ("GET", "/admin/units"): ADMIN,
    ("POST", "/admin/units/stations"): ADMIN,
    ("POST", "/admin/units/localities"): ADMIN,
}


def _routes(served: Served) -> set[tuple[str, str]]:
    # Included routers are kept whole by FastAPI; its iterator walks into them.
    app = served.client.app
    contexts = iter_route_contexts(app.routes)  # type: ignore[attr-defined]
    return {
        (method, str(context.path))
        for context in contexts
        for method in context.methods or ()
        if method != "HEAD"
    }


def test_every_route_has_a_row(served: Served) -> None:
    missing = _routes(served) - set(MATRIX)
    assert not missing, f"routes without a row in the access matrix: {missing}"
    assert not set(MATRIX) - _routes(served), "rows for routes that do not exist"


def _url(served: Served, path: str) -> str:
    # Record 1 of each kind at the investigator's station / the examiner's exhibit.
    ids = {"/api/tips/": served.tip_id, "/api/cases/": served.case_id}
    for prefix, number in ids.items():
        if path.startswith(prefix):
            return prefix + str(number)
    return path.replace("{record_id}", "1").replace("{job_id}", str(served.job_id))


@pytest.mark.parametrize("role", list(UserRole))
def test_each_role_gets_what_the_matrix_says(served: Served, role: UserRole) -> None:
    headers = served.as_role(role)
    for (method, path), allowed in MATRIX.items():
        if isinstance(allowed, str) or method != "GET" or not path.startswith("/api"):
            continue
        answer = served.client.request(method, _url(served, path), headers=headers)
        expected = 200 if role in allowed else 403
        assert answer.status_code == expected, (role, path, answer.text[:200])


def test_anonymous_requests_get_401_and_no_data(served: Served) -> None:
    for (method, path), allowed in MATRIX.items():
        if isinstance(allowed, str) or not path.startswith("/api"):
            continue
        answer = served.client.request(method, _url(served, path))
        assert answer.status_code == 401, path
        assert answer.headers["www-authenticate"] == "Bearer"
        assert set(answer.json()) == {"detail"}


def _page_url(served: Served, path: str, role: UserRole | None = None) -> str:
    return (
        path.replace("{tip_id}", str(served.tip_id))
        .replace("{case_id}", str(served.case_id))
        .replace("{hit_id}", "1")
        .replace("{person_id}", str(served.directory_person))
        .replace("{label}", f"M-{role.value if role else 'none'}")
        .replace("{job_id}", str(served.job_id))
        .replace("{watch_id}", "1")
        .replace(
            "/admin/users/{name}", f"/admin/users/new-{role.value if role else ''}"
        )
        .replace("{name}", quote(OPERATION))
        .replace("{station}", quote(served.station))
    )


def _post(
    client: TestClient, url: str, token: str, role: UserRole, served: Served
) -> tuple[httpx.Response, int]:
    """A valid form for each POST page, and the status it answers when allowed."""
    if url == "/tips/import":
        sample = write_reports(
            Path(tempfile.mkdtemp()) / "t.json",
            [report(f"WEB-{role.value}", [person(phone="+919847012345")])],
        )
        files = {"upload": ("t.json", sample.read_bytes(), "application/json")}
        return client.post(url, data={"csrf": token}, files=files), 200
    if url == "/hashsets/import":
        listed = b"d41d8cd98f00b204e9800998ecf8427e\n"
        files = {"upload": (f"{role.value}.txt", listed, "text/plain")}
        return client.post(url, data={"csrf": token}, files=files), 303
    if url.endswith("/resume"):
        job_id = interrupted_scan(served.kavach, _name(role))
        return client.post(f"/jobs/{job_id}/resume", data={"csrf": token}), 303
    if url.endswith("/referrals"):
        child = open_referral(served, role)
        data = {"csrf": token, "child_ref": child, "outcome": "placed with family"}
        return client.post(url, data=data), 303
    if url == "/watch":
        handle = f"matrix:{role.value}"
        data = {"csrf": token, "kind": "screen_name", "value": handle}
        return client.post(url, data=data), 303
    if url.endswith("/watch"):
        return client.post(url, data={"csrf": token, "note": f"matrix {role}"}), 303
    if url.startswith("/watch/") and url.endswith("/end"):
        watch_id = served.kavach.services.watch.watch_person(
            served.directory_person, "test-admin", note=f"to end, {role}"
        )
        return client.post(f"/watch/{watch_id}/end", data={"csrf": token}), 303
    if url.endswith("/decide"):
        # Never the same man as another filed person: changes no one's grouping.
        others = served.kavach.services.directory.recurring("test-admin")
        other = next(
            p.person_id for p in others if p.person_id != served.directory_person
        )
        data = {"decision": "never", "other": str(other), "reason": f"matrix {role}"}
        return client.post(url, data={"csrf": token, **data}), 303
    serial = str(950 + list(UserRole).index(role))
    district = served.kavach.services.units.directory().all_police_districts()[0].code
    forms: dict[str, tuple[dict[str, str], int]] = {
        "/hits/1/review": ({"decision": "confirmed"}, 303),
        f"/tips/{served.tip_id}/route": ({"station": served.station}, 303),
        "/searches/new": ({"location": "House 1", "team_lead": "SI Test"}, 200),
        "/seizures/new": ({"label": f"M-{role.value}", "device_type": "phone"}, 200),
        "/custody/new": ({"device": f"M-{role.value}", "step": "sealed"}, 200),
        "/scans/new": ({"path": "exhibit", "exhibit": f"web-{role.value}"}, 303),
        "/cases/new": (
            {
                "kind": "fir",
                "station": served.station,
                "year": "2026",
                "serial": serial,
                "sections": "IT Act 67B",
            },
            303,
        ),
        f"/cases/{served.case_id}/arrests": (
            {"name": f"Accused {role.value}", "by": "SI Test"},
            303,
        ),
        f"/cases/{served.case_id}/outcome": ({"outcome": "convicted"}, 303),
        f"/admin/users/new-{role.value}/assign": ({"role": "analyst"}, 303),
        f"/admin/users/new-{role.value}/disable": ({}, 303),
        f"/admin/users/new-{role.value}/enable": ({}, 303),
        "/admin/units/stations": (
            {"police_district": district, "name": f"Station {role.value}"},
            303,
        ),
        "/admin/units/localities": (
            {"police_district": district, "locality": f"Kara {role.value}"},
            303,
        ),
        "/admin/users": (
            {"name": f"new-{role.value}", "role": "viewer", "password": PASSWORD},
            303,
        ),
    }
    data, status = forms[url]
    return client.post(url, data={"csrf": token, **data}), status


@pytest.mark.parametrize("role", list(UserRole))
def test_each_role_gets_the_pages_the_matrix_says(
    served: Served, role: UserRole
) -> None:
    client, token = signed_in(served, role)
    for (method, path), allowed in MATRIX.items():
        if path.startswith("/api") or isinstance(allowed, str) or path == "/logout":
            continue
        url = _page_url(served, path, role)
        if method == "POST":
            answer, status = _post(client, url, token, role, served)
            expected = status if role in allowed else 403
        else:
            answer = client.get(url)
            expected = 200 if role in allowed else 403
        assert answer.status_code == expected, (role, path, answer.text[:200])
        assert "<img" not in answer.text


def test_anonymous_pages_go_to_the_sign_in_page(served: Served) -> None:
    client = TestClient(create_app(served.kavach), follow_redirects=False)
    for (method, path), allowed in MATRIX.items():
        if path.startswith("/api") or isinstance(allowed, str):
            continue
        answer = client.request(method, _page_url(served, path))
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=")


def open_referral(served: Served, role: UserRole) -> str:
    """A search of the demo's operation at the investigator's station with a child
    living at the place: its referral is open."""
    search_id = served.kavach.services.casework.record_search(
        NewSearch(OPERATION, f"House of {role.value}", datetime.now(UTC), "SI Test",
                  served.station, children=(9,)),
        "test-admin",
    )  # fmt: skip
    return f"S{search_id}-C1"
