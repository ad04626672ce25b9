"""Long jobs in a real browser: a hash list imported and a scan started from the
pages; HTMX polls the progress until the job ends, and a reload shows the same.
Forms for the field fit a phone's 360 px."""

from __future__ import annotations

from pathlib import Path

from kavach.access.roles import UserRole
from tests.browser.conftest import Site, sign_in

DONE_WITHIN_MS = 120_000


def _wait_done(page: object) -> None:
    # The progress block is swapped in by HTMX every second until the job ends.
    try:
        page.wait_for_selector(  # type: ignore[attr-defined]
            "#job-progress[data-status=done]", timeout=DONE_WITHIN_MS, state="attached"
        )
    except Exception:
        print(page.content())  # type: ignore[attr-defined]
        raise


def test_a_list_import_and_a_scan_from_the_pages(site: Site, tmp_path: Path) -> None:
    page = sign_in(site, UserRole.EXAMINER)
    listed = tmp_path / "web-list.txt"
    listed.write_text("".join(f"{n:032x}\n" for n in range(1, 2001)), encoding="ascii")
    page.goto(f"{site.base}/hashsets")
    page.set_input_files("#list-import input[name=upload]", str(listed))
    page.fill("#list-import input[name=name]", "web-list")
    page.click("#list-import button[type=submit]")
    page.wait_for_url(f"{site.base}/jobs/*")
    _wait_done(page)
    assert "2000 of 2000 entries" in page.inner_text("#job-done")
    page.reload()
    assert page.get_attribute("#job-progress", "data-status") == "done"
    assert page.get_attribute("#job-progress", "hx-trigger") is None
    page.goto(f"{site.base}/hashsets")
    assert "web-list" in page.inner_text("#lists")

    page.goto(f"{site.base}/scans/new")
    page.fill("#scan-form input[name=path]", "exhibit")
    page.fill("#scan-form input[name=exhibit]", "browser-phone")
    page.click("#scan-form button[type=submit]")
    page.wait_for_url(f"{site.base}/jobs/*")
    _wait_done(page)
    result = page.inner_text("#job-result")
    assert "browser-phone" in result and "files_hit" in result
    page.click("text=Review the hits")
    assert "browser-phone" in page.inner_text("table")


def test_the_fir_and_search_forms_fit_a_phone(site: Site) -> None:
    page = sign_in(site, UserRole.INVESTIGATOR, width=360)
    for path in ("/cases/new", "/searches/new"):
        page.goto(f"{site.base}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 360, (path, wide)
    page.goto(f"{site.base}/cases/new")
    page.fill("input[name=serial]", "61")
    page.fill("input[name=sections]", "IT Act 67B")
    page.click("#case-form button[type=submit]")
    page.wait_for_url(f"{site.base}/cases/*")
    assert "FIR No. 61 of" in page.inner_text("h1")
    assert site.station in page.inner_text("h1")
