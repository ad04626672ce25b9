"""A real server (``kavach serve``) on the demo's data and Debian's Chromium driven
by Playwright; Playwright never downloads a browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kavach.access.roles import UserRole
from kavach.bootstrap import build
from kavach.settings import Settings
from kavach.storage.casework_tables import case_record
from tests.api.conftest import (
    EXAMINER,
    PASSWORD,
    _first,
    _name,
    _register_case,
    _stations,
)

CHROMIUM = "/usr/bin/chromium"


@dataclass
class Site:
    base: str
    station: str
    other_case_id: int
    browser: Any


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: make install puts it there")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    workdir = tmp_path_factory.mktemp("site")
    url = f"sqlite:///{workdir / 'kavach.db'}"
    env = {**os.environ, "KAVACH_USER": EXAMINER}
    subprocess.run(
        [sys.executable, "-m", "kavach", "demo", "--workdir", str(workdir / "demo"),
         "--database-url", url], check=True, capture_output=True, env=env,
    )  # fmt: skip
    settings = Settings(database_url=url, data_dir=workdir / "demo" / "kavach-data")
    kavach = build(settings)
    station, other = _stations(kavach)
    _register_case(workdir / "demo", url, station)
    other_case = _first(kavach, other, case_record)
    for role in UserRole:
        kavach.services.accounts.add_user(
            _name(role),
            role,
            PASSWORD,
            station if role is UserRole.INVESTIGATOR else None,
            None,
            "test-admin",
        )
    kavach.close()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kavach", "serve", "--port", str(port)],
        env={**env, "KAVACH_DATABASE_URL": url,
             "KAVACH_DATA_DIR": str(workdir / "demo" / "kavach-data"),
             "KAVACH_SECRET_KEY": "browser-test-" + "k" * 40,
             "KAVACH_EVIDENCE_ROOT": str(workdir / "demo")},
        stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    _wait(base)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        try:
            yield Site(base, station, other_case, browser)
        finally:
            browser.close()
            server.terminate()
            server.wait(30)


def _wait(base: str) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not come up")


def sign_in(site: Site, role: UserRole, width: int = 1280) -> Any:
    """A new browser context signed in as ``role``; its page on the dashboard."""
    context = site.browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{site.base}/login")
    page.fill("input[name=username]", _name(role))
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.base}/")
    return page
