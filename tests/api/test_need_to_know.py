"""Need to know: an investigator sees their own station's tips and cases only; an
examiner the exhibits of their lab; every read is in the audit log."""

from __future__ import annotations

from kavach.access.roles import UserRole
from tests.api.conftest import Served


def test_an_investigator_sees_only_their_station(served: Served) -> None:
    headers = served.as_role(UserRole.INVESTIGATOR)
    tips = served.client.get("/api/tips?limit=500", headers=headers).json()
    assert tips["total"] > 0
    assert {t["station"] for t in tips["items"]} == {served.station}
    everyone = served.client.get(
        "/api/tips?limit=500", headers=served.as_role(UserRole.SUPERVISOR)
    ).json()
    assert everyone["total"] > tips["total"]
    # Another station's case by URL: not found (its existence is not told).
    other = served.client.get(f"/api/cases/{served.other_case_id}", headers=headers)
    assert other.status_code == 404
    own = served.client.get(f"/api/cases/{served.case_id}", headers=headers)
    assert own.status_code == 200 and own.json()["station"] == served.station


def test_paging_defaults_to_50_and_limits(served: Served) -> None:
    headers = served.as_role(UserRole.ANALYST)
    first = served.client.get("/api/tips", headers=headers).json()
    assert first["limit"] == 50 and first["offset"] == 0
    assert len(first["items"]) == min(50, first["total"])
    second = served.client.get("/api/tips?limit=2&offset=1", headers=headers).json()
    assert [t["id"] for t in second["items"]] == [t["id"] for t in first["items"][1:3]]
    assert served.client.get("/api/tips?limit=0", headers=headers).status_code == 422


def test_reads_are_audited_with_the_records_shown(served: Served) -> None:
    analyst = served.as_role(UserRole.ANALYST)
    shown = served.client.get("/api/persons?limit=3", headers=analyst).json()
    person = shown["items"][0]["id"]
    served.client.get(f"/api/persons/{person}", headers=analyst)
    audit = served.client.get(
        "/api/audit?limit=20", headers=served.as_role(UserRole.SUPERVISOR)
    ).json()["items"]
    actions = {(a["actor"], a["action"]) for a in audit}
    assert ("analyst-1", "persons.list") in actions
    assert ("analyst-1", "persons.read") in actions
    listed = next(a for a in audit if a["action"] == "persons.list")
    assert listed["detail"]["ids"] == [p["id"] for p in shown["items"]]


def test_wrong_password_is_401(served: Served) -> None:
    for name in ("analyst-1", "nobody"):
        answer = served.client.post(
            "/api/auth/token", data={"username": name, "password": "wrong password!"}
        )
        assert answer.status_code == 401


def test_openapi_lists_full_paths(served: Served) -> None:
    paths = served.client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/tips",
        "/api/targets",
        "/api/cases",
        "/api/exhibits",
        "/api/hits",
        "/api/persons",
        "/api/audit",
        "/api/auth/token",
    ):
        assert path in paths  # fmt: skip
