"""The pages: anonymous requests go to the sign-in page, a failed sign-in says so,
a session opens the dashboard, and signing out needs the form's CSRF token."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from kavach.access.roles import UserRole
from kavach.api.app import create_app
from kavach.demo.operation import OPERATION
from kavach.services.tips import TipImportOptions
from tests.api.conftest import PASSWORD, Served, signed_in
from tests.helpers.casework import person, report, write_reports


def _client(served: Served) -> TestClient:
    # A client of its own: cookies must not leak between tests.
    return TestClient(create_app(served.kavach), follow_redirects=False)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)


def test_anonymous_pages_redirect_to_sign_in(served: Served) -> None:
    client = _client(served)
    answer = client.get("/")
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/"
    assert client.post("/logout").status_code == 303


def test_sign_in_dashboard_and_sign_out(served: Served) -> None:
    client = _client(served)
    form = _csrf(client.get("/login").text)
    wrong = client.post(
        "/login", data={"username": "analyst-1", "password": "nope", "csrf": form}
    )
    assert wrong.status_code == 401 and 'id="login-error"' in wrong.text
    assert "wrong user name or password" in wrong.text
    form = _csrf(wrong.text)
    good = client.post(
        "/login",
        data={"username": "analyst-1", "password": PASSWORD, "csrf": form,
              "next": "/"},
    )  # fmt: skip
    assert good.status_code == 303
    cookie = good.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    page = client.get("/")
    assert page.status_code == 200 and "analyst-1" in page.text
    # A bearer token does not open pages, and a session does not skip CSRF.
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 400
    out = client.post("/logout", data={"csrf": _csrf(page.text)})
    assert out.status_code == 303
    assert client.get("/").status_code == 303


def test_a_forged_login_form_is_refused(served: Served) -> None:
    client = _client(served)
    client.get("/login")
    answer = client.post(
        "/login",
        data={"username": "analyst-1", "password": PASSWORD, "csrf": "0" * 64},
    )
    assert answer.status_code == 400 and "expired" in answer.text


def test_next_never_leaves_the_site(served: Served) -> None:
    client = _client(served)
    assert 'name="next" value="/"' in client.get("/login?next=//evil.example").text
    form = _csrf(client.get("/login?next=//evil.example/x").text)
    good = client.post(
        "/login",
        data={"username": "analyst-1", "password": PASSWORD, "csrf": form,
              "next": "https://evil.example/"},
    )  # fmt: skip
    assert good.headers["location"] == "/"


def test_the_dashboard_draws_the_units_figures_and_operations(served: Served) -> None:
    for role in (UserRole.SUPERVISOR, UserRole.VIEWER):
        client, _ = signed_in(served, role)
        page = client.get("/").text
        assert '<figure id="chart-month" class="chart"><svg' in page
        assert '<figure id="chart-district" class="chart"><svg' in page
        progress = page.split('id="progress"', 1)[1].split("</table>", 1)[0]
        assert OPERATION in progress
    tally = served.kavach.services.casework.tally(OPERATION, "test")
    assert f"<td>{tally.searches}</td>" in progress


def test_the_directory_pages_show_the_repeat_offender_and_the_groups(
    served: Served,
) -> None:
    analyst, _ = signed_in(served, UserRole.ANALYST)
    listed = analyst.get("/directory")
    assert listed.status_code == 200 and "REPEAT" in listed.text
    assert f'href="/directory/{served.directory_person}"' in listed.text
    person = analyst.get(f"/directory/{served.directory_person}")
    assert person.status_code == 200
    assert 'id="repeat"' in person.text and "FIR No. 901 of 2019" in person.text
    assert "Share zone (demo)" in person.text and "രാജേഷ്" in person.text
    assert "linked" in person.text and "name:" in person.text
    network = analyst.get("/network")
    assert network.status_code == 200
    assert (
        "Share zone (demo)" in network.text
        and "Kunnathu friends (demo)" in network.text
    )
    assert analyst.get("/directory/999999").status_code == 404
    alerts = analyst.get("/watch/alerts")
    assert alerts.status_code == 200 and "No alert." in alerts.text
    officer, _ = signed_in(served, UserRole.INVESTIGATOR)
    assert officer.get("/directory").status_code == 403
    assert "/directory" not in officer.get("/").text


def test_a_case_page_flags_an_accused_convicted_before(served: Served) -> None:
    profile = served.kavach.services.directory.profile(
        served.directory_person, "test-admin"
    )
    convicted = {c.case_id for c in profile.convictions}
    (again,) = {e.case_id for e in profile.events if e.kind == "case"} - convicted
    chief, _ = signed_in(served, UserRole.SUPERVISOR)
    page = chief.get(f"/cases/{again}")
    assert page.status_code == 200
    accused = page.text.split('id="accused"', 1)[1].split("</ul>", 1)[0]
    assert "REPEAT" in accused and "FIR No. 901 of 2019" in accused
    assert "harsher on a repeat: IT Act 67B" in accused
    (first,) = convicted
    earlier = chief.get(f"/cases/{first}").text.split('id="accused"', 1)[1]
    assert "REPEAT" not in earlier.split("</ul>", 1)[0]  # his own conviction's case


def test_an_analyst_merges_and_splits_persons_on_the_person_page(
    served: Served,
) -> None:
    directory = served.kavach.services.directory
    others = [
        p.person_id
        for p in directory.recurring("test-admin")
        if p.person_id != served.directory_person
    ]
    a, b = others[:2]
    kept = directory.profile(a, "test-admin").records
    moved = directory.profile(b, "test-admin").records
    analyst, token = signed_in(served, UserRole.ANALYST)
    page = analyst.get(f"/directory/{a}")
    assert 'id="join-form"' in page.text and 'id="split-form"' in page.text
    merge = {"csrf": token, "decision": "merge", "other": str(b)}

    refused = analyst.post(f"/directory/{a}/decide", data=merge)
    assert refused.status_code == 400 and "reason" in refused.text
    assert directory.profile(b, "test-admin").records == moved  # nothing changed

    answer = analyst.post(
        f"/directory/{a}/decide", data={**merge, "reason": "one IMEI on both phones"}
    )
    assert answer.status_code == 303
    merged = int(answer.headers["location"].rsplit("/", 1)[1])
    assert merged in (a, b)
    together = analyst.get(answer.headers["location"]).text
    assert all(record in together for record in kept + moved)

    split = {"csrf": token, "decision": "split", "records": moved}
    answer = analyst.post(
        f"/directory/{merged}/decide", data={**split, "reason": "fathers differ"}
    )
    assert answer.status_code == 303
    assert set(directory.profile(merged, "test-admin").records) == set(kept)
    apart = directory.person_of(moved[0], "test-admin")
    assert set(directory.profile(apart, "test-admin").records) == set(moved)

    officer, officer_token = signed_in(served, UserRole.INVESTIGATOR)
    denied = officer.post(
        f"/directory/{a}/decide",
        data={**merge, "csrf": officer_token, "reason": "not mine to decide"},
    )
    assert denied.status_code == 403


def test_an_analyst_watches_a_man_from_his_page_and_ends_the_watch(
    served: Served,
) -> None:
    analyst, token = signed_in(served, UserRole.ANALYST)
    person = served.directory_person
    answer = analyst.post(
        f"/directory/{person}/watch", data={"csrf": token, "note": "out on bail"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/watch/alerts"
    page = analyst.get("/watch/alerts").text
    watches = page.split('id="watches"', 1)[1].split("</table>", 1)[0]
    assert f"directory person {person}" in watches and "out on bail" in watches
    (watch_id,) = [
        w["id"]
        for w in served.kavach.services.watch.watches("test-admin")
        if w["note"] == "out on bail"
    ]
    ended = analyst.post(f"/watch/{watch_id}/end", data={"csrf": token})
    assert ended.status_code == 303
    page = analyst.get("/watch/alerts").text
    assert "out on bail" not in page.split('id="watches"', 1)[1]
    missing = analyst.post("/directory/999999/watch", data={"csrf": token})
    assert missing.status_code == 404


def test_an_analyst_watches_a_number_from_the_alerts_page_and_a_new_tip_alerts(
    served: Served, tmp_path: Path
) -> None:
    analyst, token = signed_in(served, UserRole.ANALYST)
    page = analyst.get("/watch/alerts").text
    assert 'id="pin-form"' in page and "phone: a number" in page
    refused = analyst.post(
        "/watch", data={"csrf": token, "kind": "phone", "value": "not a number"}
    )
    assert refused.status_code == 400 and "not a number" in refused.text
    before = served.kavach.services.watch.watches("test-admin")
    pinned = analyst.post(
        "/watch",
        data={
            "csrf": token,
            "kind": "phone",
            "value": "098470 55501",  # as an officer types it
            "note": "caller in tip 17",
        },
    )
    assert pinned.status_code == 303 and pinned.headers["location"] == "/watch/alerts"
    after = served.kavach.services.watch.watches("test-admin")
    assert len(after) == len(before) + 1
    watches = analyst.get("/watch/alerts").text.split('id="watches"', 1)[1]
    assert "+919847055501" in watches and "caller in tip 17" in watches
    # A tip naming the number, in another form, raises the alert.
    tips = write_reports(
        tmp_path / "tips.json",
        [report("WATCH-PIN-1", [person(phone="+91 98470 55501")])],
    )
    served.kavach.services.tips.import_paths([tips], TipImportOptions(), "test-admin")
    alerts = analyst.get("/watch/alerts").text.split('id="alerts"', 1)[1]
    alerts = alerts.split("</table>", 1)[0]
    assert "+919847055501" in alerts
    investigator, other = signed_in(served, UserRole.INVESTIGATOR)
    denied = investigator.post(
        "/watch", data={"csrf": other, "kind": "phone", "value": "+919847055502"}
    )
    assert denied.status_code == 403
    assert len(served.kavach.services.watch.watches("test-admin")) == len(after)
