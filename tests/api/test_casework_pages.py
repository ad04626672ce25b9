"""The operations board and the case forms, as a station officer and the unit use
them: an investigator sees their own station's searches, package and referrals;
a search without its recording is flagged; an FIR registered, an arrest and an
outcome recorded show on the case page; another station's case cannot be touched."""

from __future__ import annotations

import re
from urllib.parse import quote

from kavach.access.roles import UserRole
from kavach.demo.operation import OPERATION
from tests.api.conftest import Served, signed_in
from tests.api.test_access_matrix import open_referral

BOARD = f"/operations/{quote(OPERATION)}"


def _stations(html: str) -> set[str]:
    table = html.split('id="searches"', 1)[1].split("</table>", 1)[0]
    return {
        cells[1]
        for cells in re.findall(r"<tr[^>]*><td>(\d+)</td><td>([^<]*)</td>", table)
    }


def test_the_board_shows_the_unit_everything_and_a_station_its_own(
    served: Served,
) -> None:
    chief, _ = signed_in(served, UserRole.SUPERVISOR)
    listed = chief.get("/operations")
    assert listed.status_code == 200 and OPERATION in listed.text
    whole = chief.get(BOARD)
    assert whole.status_code == 200
    assert len(_stations(whole.text)) > 1
    # The demo plants searches without their BNSS s.105 recording.
    assert 'id="no-recording"' in whole.text and "MISSING (BNSS s.105)" in whole.text
    officer, _ = signed_in(served, UserRole.INVESTIGATOR)
    own = officer.get(BOARD)
    assert own.status_code == 200
    assert _stations(own.text) <= {served.station}
    assert 'id="packages"' in own.text
    packages = re.findall(r'/packages/([^"]+)"', own.text)
    assert all(p == quote(served.station) for p in packages)


def test_a_station_package_prints_and_another_stations_is_not_found(
    served: Served,
) -> None:
    chief, _ = signed_in(served, UserRole.SUPERVISOR)
    links = re.findall(
        r'href="(/operations/[^"]+/packages/[^"]+)"', chief.get(BOARD).text
    )
    assert links
    page = chief.get(links[0])
    assert page.status_code == 200 and "<img" not in page.text
    officer, _ = signed_in(served, UserRole.INVESTIGATOR)
    foreign = [u for u in links if not u.endswith(quote(served.station))]
    assert foreign and officer.get(foreign[0]).status_code == 404


def test_a_referral_is_closed_from_the_board_by_its_station_only(
    served: Served,
) -> None:
    child = open_referral(served, UserRole.INVESTIGATOR)
    officer, token = signed_in(served, UserRole.INVESTIGATOR)
    assert child in officer.get(BOARD).text
    closed = officer.post(
        f"{BOARD}/referrals",
        data={"csrf": token, "child_ref": child, "outcome": "with grandparents"},
    )
    assert closed.status_code == 303
    assert child not in officer.get(BOARD).text
    again = officer.post(
        f"{BOARD}/referrals",
        data={"csrf": token, "child_ref": child, "outcome": "twice"},
    )
    assert again.status_code == 404
    actions = [(e.actor, e.action, e.target) for e in served.kavach.audit.entries()]
    assert ("investigator-1", "referral.close", child) in actions


def test_an_fir_arrest_and_outcome_from_the_forms(served: Served) -> None:
    officer, token = signed_in(served, UserRole.INVESTIGATOR)
    form = officer.get("/cases/new")
    assert form.status_code == 200 and 'name="station"' not in form.text
    made = officer.post(
        "/cases/new",
        data={"csrf": token, "kind": "fir", "year": "2026", "serial": "977",
              "sections": "IT Act 67B, POCSO 15(1)", "station": "somewhere else"},
    )  # fmt: skip
    assert made.status_code == 303, made.text[:300]
    case_url = made.headers["location"]
    page = officer.get(case_url)
    assert page.status_code == 200 and "FIR No. 977 of 2026" in page.text
    arrested = officer.post(
        f"{case_url}/arrests",
        data={"csrf": token, "name": "Rajesh Kumar K", "by": "SI Anil",
              "place": "Kazhakoottam"},
    )  # fmt: skip
    assert arrested.status_code == 303
    page = officer.get(case_url).text
    assert "Rajesh Kumar K" in page.split('id="arrests"', 1)[1]
    person = re.search(r'<option value="(\d+)">Rajesh Kumar K</option>', page)
    assert person
    decided = officer.post(
        f"{case_url}/outcome",
        data={"csrf": token, "outcome": "convicted", "person_id": person.group(1),
              "court": "POCSO Court, Thiruvananthapuram"},
    )  # fmt: skip
    assert decided.status_code == 303
    page = officer.get(case_url).text
    assert "convicted" in page.split('id="outcomes"', 1)[1]
    assert 'id="case-status">disposed' in page
    # The case is the officer's station's, whatever the form said.
    api = served.client.get(
        f"/api/cases/{case_url.rsplit('/', 1)[1]}",
        headers=served.as_role(UserRole.SUPERVISOR),
    )
    assert api.json()["station"] == served.station


def test_another_stations_case_cannot_be_written_by_url(served: Served) -> None:
    officer, token = signed_in(served, UserRole.INVESTIGATOR)
    other = f"/cases/{served.other_case_id}"
    assert officer.get(other).status_code == 404
    refused = officer.post(
        f"{other}/arrests", data={"csrf": token, "name": "Someone", "by": "SI X"}
    )
    assert refused.status_code == 404
    detail = served.kavach.services.casework.case(served.other_case_id, "test")
    assert all(a["person"] != "Someone" for a in detail["arrests"])
    forged = officer.post(
        f"/cases/{served.case_id}/outcome", data={"csrf": "forged", "outcome": "abated"}
    )
    assert forged.status_code == 400
