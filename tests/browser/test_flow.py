"""In a real browser: a failed sign-in shows the error; an examiner reviews a hit
and the dashboard's figures change; an investigator cannot open another station's
case by URL; the sign-in form fits a phone's 360 px screen."""

from __future__ import annotations

from pathlib import Path

from kavach.access.roles import UserRole
from tests.browser.conftest import Site, sign_in
from tests.helpers.casework import person, report, write_reports


def test_a_failed_sign_in_shows_the_error(site: Site) -> None:
    page = site.browser.new_context().new_page()
    page.goto(f"{site.base}/")
    assert page.url.startswith(f"{site.base}/login")
    page.fill("input[name=username]", "examiner-1")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert "wrong user name or password" in page.inner_text("#login-error")


def _confirmed_6_to_10(page: object) -> int:
    row = page.locator("#bands tr", has_text="6-10")  # type: ignore[attr-defined]
    return int(row.locator("td").nth(1).inner_text())


def test_review_a_hit_and_the_dashboard_changes(site: Site) -> None:
    page = sign_in(site, UserRole.EXAMINER)
    before = _confirmed_6_to_10(page)
    page.goto(f"{site.base}/hits")
    assert page.locator("img").count() == 0  # hashes and paths, never a picture
    row = page.locator("#hits tbody tr, #hits tr[id^=hit-]").first
    row.locator("select[name=decision]").select_option("confirmed")
    row.locator("select[name=age_band]").select_option("6-10")
    row.locator("button").click()
    page.wait_for_url(f"{site.base}/hits")
    assert "confirmed, 6-10" in page.locator("#hits tr[id^=hit-]").first.inner_text()
    page.goto(f"{site.base}/")
    assert _confirmed_6_to_10(page) == before + 1


def test_an_investigator_cannot_open_another_stations_case(site: Site) -> None:
    page = sign_in(site, UserRole.INVESTIGATOR)
    answer = page.goto(f"{site.base}/cases/{site.other_case_id}")
    assert answer is not None and answer.status == 404
    assert "no case" in page.inner_text("#error")
    page.goto(f"{site.base}/tips")
    stations = page.locator("#tips tr td:nth-child(5)").all_inner_texts()
    assert stations and set(stations) == {site.station}


def test_the_sign_in_form_fits_a_phone(site: Site) -> None:
    context = site.browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{site.base}/login")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert page.locator("button[type=submit]").is_visible()


def test_import_route_search_seize_and_custody(site: Site, tmp_path: Path) -> None:
    page = sign_in(site, UserRole.ANALYST)
    tips = write_reports(
        tmp_path / "browser-tips.json",
        [report("BROWSER-1", [person(phone="+919847099999")])],
    )
    page.goto(f"{site.base}/tips/import")
    page.set_input_files("input[name=upload]", str(tips))
    page.click("button[type=submit]")
    assert "1 new tip(s)" in page.inner_text("#import-result")
    page.goto(f"{site.base}/tips?offset=0")
    page.click("text=BROWSER-1")
    page.fill("#route-form input[name=station]", site.station)
    page.fill("#route-form input[name=note]", "the subscriber lives there")
    page.click("#route-form button")
    assert site.station in page.inner_text("table")
    assert "manual" in page.inner_text("table")

    page.goto(f"{site.base}/searches/new")
    page.fill("input[name=location]", "TC 12/345, Kazhakkoottam")
    page.fill("input[name=team_lead]", "SI Test")
    page.click("#search-form button")
    assert "recorded" in page.inner_text("#search-done")
    page.fill("#seizure-form input[name=label]", "BR-PH-1")
    page.fill("#seizure-form input[name=imei]", "356938035643809")
    page.click("#seizure-form button")
    page.select_option("#custody-form select[name=step]", "sealed")
    page.fill("#custody-form input[name=place]", "P.S. Kazhakkoottam")
    page.click("#custody-form button")
    steps = page.locator("#custody tr td:nth-child(3)").all_inner_texts()
    assert steps == ["seized", "sealed"]
