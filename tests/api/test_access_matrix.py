"""Every route, every role: allowed gives 2xx, denied 403, anonymous 401 — and a
route the matrix does not list fails the suite."""

from __future__ import annotations

import pytest
from fastapi.routing import iter_route_contexts

from kavach.access.roles import UserRole
from tests.api.conftest import Served

R = UserRole
ALL = frozenset(UserRole)
PUBLIC = "public"  # answers anonymous requests, with no data
PAGE = "page"  # any signed-in role, by session cookie (test_pages.py)
CASEWORK = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.ANALYST, R.INVESTIGATOR})
LAB = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.ANALYST, R.EXAMINER})
UNIT = frozenset({R.ADMINISTRATOR, R.SUPERVISOR, R.ANALYST})
OVERSIGHT = frozenset({R.ADMINISTRATOR, R.SUPERVISOR})

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
    # Pages: a session, not a token (anonymous: 303 to the sign-in page).
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PAGE,
    ("GET", "/"): PAGE,
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
    return path.replace("{record_id}", "1")


@pytest.mark.parametrize("role", list(UserRole))
def test_each_role_gets_what_the_matrix_says(served: Served, role: UserRole) -> None:
    headers = served.as_role(role)
    for (method, path), allowed in MATRIX.items():
        if isinstance(allowed, str) or method != "GET":
            continue
        answer = served.client.request(method, _url(served, path), headers=headers)
        expected = 200 if role in allowed else 403
        assert answer.status_code == expected, (role, path, answer.text[:200])


def test_anonymous_requests_get_401_and_no_data(served: Served) -> None:
    for (method, path), allowed in MATRIX.items():
        if isinstance(allowed, str):
            continue
        answer = served.client.request(method, _url(served, path))
        assert answer.status_code == 401, path
        assert answer.headers["www-authenticate"] == "Bearer"
        assert set(answer.json()) == {"detail"}
