"""Administration from the browser: a new station added to a police district, an
officer moved to it (in force at their next request, audited), the last active
administrator kept, and a disabled account refused."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from kavach.access.roles import UserRole
from kavach.api.app import create_app
from tests.api.conftest import PASSWORD, Served, form_token, signed_in


def _sign_in(served: Served, name: str) -> TestClient:
    client = TestClient(create_app(served.kavach), follow_redirects=False)
    form = form_token(client.get("/login").text)
    answer = client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf": form}
    )
    assert answer.status_code == 303, answer.text[:300]
    return client


def test_a_new_station_and_an_officer_moved_to_it(served: Served) -> None:
    admin, token = signed_in(served, UserRole.ADMINISTRATOR)
    units = admin.get("/admin/units")
    assert units.status_code == 200 and 'id="units"' in units.text
    district = served.kavach.services.units.directory().all_police_districts()[0]
    added = admin.post(
        "/admin/units/stations",
        data={
            "csrf": token,
            "police_district": district.code,
            "name": "Vizhinjam Port",
        },
    )
    assert added.status_code == 303
    assert "Vizhinjam Port" in admin.get("/admin/units").text
    accounts = served.kavach.services.accounts
    accounts.add_user(
        "officer-moved", UserRole.INVESTIGATOR, PASSWORD, served.station, None, "t"
    )
    officer = _sign_in(served, "officer-moved")
    before = officer.get("/api/auth/me").json()
    assert before["station"] == served.station
    moved = admin.post(
        "/admin/users/officer-moved/assign",
        data={"csrf": token, "role": "investigator",
              "station": f"Vizhinjam Port, {district.name}"},
    )  # fmt: skip
    assert moved.status_code == 303, moved.text[:300]
    # The same session, next request: the new station, and none of the old tips.
    assert officer.get("/api/auth/me").json()["station"] == "Vizhinjam Port"
    assert officer.get(f"/tips/{served.tip_id}").status_code == 404
    row = admin.get("/admin/users").text.split('id="user-officer-moved"', 1)[1]
    assert "Vizhinjam Port" in row.split("</tr>", 1)[0]
    assigned = [e for e in served.kavach.audit.entries() if e.action == "user.assign"]
    assert assigned[-1].target == "officer-moved"
    assert assigned[-1].detail["was"] == "investigator"


def test_an_investigator_needs_a_station_and_the_last_admin_stays(
    served: Served,
) -> None:
    admin, token = signed_in(served, UserRole.ADMINISTRATOR)
    accounts = served.kavach.services.accounts
    accounts.add_user("viewer-plain", UserRole.VIEWER, PASSWORD, None, None, "t")
    refused = admin.post(
        "/admin/users/viewer-plain/assign", data={"csrf": token, "role": "investigator"}
    )
    assert refused.status_code == 400 and "needs a station" in refused.text
    admins = [
        u for u in accounts.list_users("t")
        if u.role is UserRole.ADMINISTRATOR and not u.disabled
    ]  # fmt: skip
    assert [a.name for a in admins] == ["administrator-1"]
    demoted = admin.post(
        "/admin/users/administrator-1/assign", data={"csrf": token, "role": "viewer"}
    )
    assert demoted.status_code == 400 and "last active administrator" in demoted.text
    stopped = admin.post("/admin/users/administrator-1/disable", data={"csrf": token})
    assert stopped.status_code == 400


def test_a_disabled_account_is_refused_at_once(served: Served) -> None:
    admin, token = signed_in(served, UserRole.ADMINISTRATOR)
    served.kavach.services.accounts.add_user(
        "analyst-leaving", UserRole.ANALYST, PASSWORD, None, None, "t"
    )
    leaving = _sign_in(served, "analyst-leaving")
    assert leaving.get("/tips").status_code == 200
    done = admin.post("/admin/users/analyst-leaving/disable", data={"csrf": token})
    assert done.status_code == 303
    assert _state(admin.get("/admin/users").text, "analyst-leaving") == "disabled"
    assert leaving.get("/tips").status_code == 303  # back to the sign-in page
    again = admin.post("/admin/users/analyst-leaving/enable", data={"csrf": token})
    assert again.status_code == 303
    assert _state(admin.get("/admin/users").text, "analyst-leaving") == "active"


def _state(page: str, name: str) -> str:
    """The State cell (the sixth) of a user's row on the users page."""
    row = page.split(f'id="user-{name}"', 1)[1].split("</tr>", 1)[0]
    cells: list[str] = re.findall(r"<td>([^<]*)</td>", row)
    return cells[5]
