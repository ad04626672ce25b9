"""Long jobs from the web: a list import and a scan run in the background, their
progress is read from the database (a reload, or a second server on the same
database, shows it), a job whose server stopped is marked interrupted, and an
interrupted scan resumes from its checkpoint."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from kavach.access.roles import UserRole
from kavach.api.app import create_app
from kavach.bootstrap import Kavach, build
from kavach.demo.exhibit import DemoSet, build_demo
from kavach.hashsets.importer import ImportOptions
from kavach.settings import Settings
from kavach.storage.job_repository import SqlJobRepository
from tests.helpers.db import fresh_postgres
from tests.helpers.jobs import interrupted_scan

PASSWORD = "monsoon ferry 1947 Vizhinjam"
SECRET = SecretStr("test-secret-" + "y" * 40)


@dataclass
class Lab:
    kavach: Kavach
    demo: DemoSet
    settings: Settings


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def lab(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Lab]:
    workdir = tmp_path_factory.mktemp("lab")
    demo = build_demo(workdir / "store")
    with _database(request.param, workdir) as url:
        settings = Settings(
            database_url=url,
            data_dir=workdir / "data",
            secret_key=SECRET,
            evidence_root=workdir / "store",
            workers=1,
        )
        kavach = build(settings)
        accounts = kavach.services.accounts
        for name, role in [
            ("examiner-1", UserRole.EXAMINER),
            ("examiner-2", UserRole.EXAMINER),
            ("supervisor-1", UserRole.SUPERVISOR),
            ("analyst-1", UserRole.ANALYST),
        ]:
            lab = "Lab 1" if role is UserRole.EXAMINER else None
            accounts.add_user(name, role, PASSWORD, None, lab, "test-admin")
        yield Lab(kavach, demo, settings)
        kavach.close()


def _database(kind: str, workdir: Path) -> AbstractContextManager[str]:
    if kind == "sqlite":
        return nullcontext(f"sqlite:///{workdir / 'kavach.db'}")
    return fresh_postgres()


def _signed_in(kavach: Kavach, name: str) -> tuple[TestClient, str]:
    client = TestClient(create_app(kavach), follow_redirects=False)
    form = _csrf(client.get("/login").text)
    done = client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf": form}
    )
    assert done.status_code == 303, done.text
    return client, _csrf(client.get("/").text)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)


def _job_id(answer_location: str) -> int:
    found = re.fullmatch(r"/jobs/(\d+)", answer_location)
    assert found, answer_location
    return int(found.group(1))


def _until_finished(client: TestClient, job_id: int, seconds: float = 120) -> str:
    """Polls the progress block as the page does, until the job has ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        block = client.get(f"/jobs/{job_id}/progress")
        assert block.status_code == 200, block.text
        status = re.search(r'data-status="(\w+)"', block.text)
        assert status
        if status.group(1) not in ("queued", "running"):
            assert "hx-trigger" not in block.text  # the page stops asking
            return str(block.text)
        assert 'hx-trigger="every 1s"' in block.text
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not end in {seconds} s")


def _import(client: TestClient, token: str, path: Path, name: str) -> int:
    answer = client.post(
        "/hashsets/import",
        data={"csrf": token, "name": name, "source": "test"},
        files={"upload": (path.name, path.read_bytes(), "text/plain")},
    )
    assert answer.status_code == 303, answer.text[:300]
    return _job_id(answer.headers["location"])


def test_a_list_imported_from_the_web_shows_progress_and_its_result(lab: Lab) -> None:
    client, token = _signed_in(lab.kavach, "examiner-1")
    name, path = lab.demo.lists[0]
    job_id = _import(client, token, path, name)
    block = _until_finished(client, job_id)
    assert 'data-status="done"' in block
    expected = lab.kavach.services.hashsets.lists()
    entries = next(i.entry_count for i in expected if i.name == name)
    assert entries > 0 and f"{entries} of {entries} entries" in block
    # A reload, and a second server process on the same database, see the same.
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 200 and f"{entries} of {entries} entries" in page.text
    other = build(lab.settings)
    try:
        second, _ = _signed_in(other, "examiner-1")
        again = second.get(f"/api/jobs/{job_id}")
        assert again.status_code == 200
        body = again.json()
        assert body["status"] == "done" and body["result"]["entries"] == entries
        assert body["percent"] == 100
    finally:
        other.close()
    lists = client.get("/hashsets")
    assert lists.status_code == 200 and name in lists.text
    actions = [e.action for e in lab.kavach.audit.entries()]
    assert "job.start" in actions and "hashset.import" in actions


def test_a_broken_list_fails_naming_the_line_and_imports_nothing(
    lab: Lab, tmp_path: Path
) -> None:
    client, token = _signed_in(lab.kavach, "examiner-1")
    broken = tmp_path / "broken.txt"
    broken.write_text("d41d8cd98f00b204e9800998ecf8427e\nnot a hash at all\n")
    job_id = _import(client, token, broken, "broken-list")
    block = _until_finished(client, job_id)
    assert 'data-status="failed"' in block and "line 2" in block
    assert "broken-list" not in {i.name for i in lab.kavach.services.hashsets.lists()}


def test_a_scan_started_from_the_web_finds_the_planted_copies(lab: Lab) -> None:
    client, token = _signed_in(lab.kavach, "examiner-1")
    for name, path in lab.demo.lists:
        _until_finished(client, _import(client, token, path, name))
    answer = client.post(
        "/scans/new",
        data={"csrf": token, "path": "exhibit", "exhibit": "web-phone",
              "case": "WEB-1"},
    )  # fmt: skip
    assert answer.status_code == 303, answer.text[:300]
    job_id = _job_id(answer.headers["location"])
    block = _until_finished(client, job_id, 300)
    assert 'data-status="done"' in block, block
    result = client.get(f"/api/jobs/{job_id}").json()["result"]
    assert result["exhibit"] == "web-phone"
    assert result["files_hit"] == len({h.path for h in lab.demo.expected_hits})
    assert result["images_ok"] is True
    # Progress counts the items walked (an archive is one, its members are files).
    body = client.get(f"/api/jobs/{job_id}").json()
    assert body["done"] == body["total"] > 0 and body["unit"] == "items"
    assert f"{body['done']} of {body['total']} items" in block


def test_a_path_outside_the_evidence_store_is_refused(lab: Lab) -> None:
    client, token = _signed_in(lab.kavach, "examiner-1")
    for path in ("../data", "/etc/passwd", "no-such-folder"):
        answer = client.post("/scans/new", data={"csrf": token, "path": path})
        assert answer.status_code == 400, (path, answer.text[:200])
    assert (
        "outside the evidence store"
        in client.post("/scans/new", data={"csrf": token, "path": "../data"}).text
    )


def test_jobs_are_seen_by_their_starter_and_supervisors_only(lab: Lab) -> None:
    starter, token = _signed_in(lab.kavach, "examiner-1")
    name, path = lab.demo.lists[0]
    job_id = _import(starter, token, path, name)
    _until_finished(starter, job_id)
    other, _ = _signed_in(lab.kavach, "examiner-2")
    assert other.get(f"/jobs/{job_id}").status_code == 404
    assert job_id not in [j["id"] for j in other.get("/api/jobs").json()]
    chief, _ = _signed_in(lab.kavach, "supervisor-1")
    assert chief.get(f"/jobs/{job_id}").status_code == 200
    analyst, analyst_token = _signed_in(lab.kavach, "analyst-1")
    assert analyst.get("/jobs").status_code == 403
    refused = analyst.post(
        "/hashsets/import",
        data={"csrf": analyst_token},
        files={"upload": (path.name, path.read_bytes(), "text/plain")},
    )
    assert refused.status_code == 403


def test_a_scan_whose_server_stopped_is_interrupted_and_resumes(lab: Lab) -> None:
    kavach = lab.kavach
    held = {i.name for i in kavach.services.hashsets.lists()}
    for name, path in lab.demo.lists:
        if name not in held:
            kavach.services.hashsets.import_list(
                path, ImportOptions(name=name), "examiner-1"
            )
    # A scan started, then its server process gone; the next server marks it.
    job_id = interrupted_scan(kavach, "examiner-1", "resumed-phone", mark=False)
    row = SqlJobRepository(kavach.engine).get(job_id)
    assert row is not None and row.status == "running"
    scan_id = row.result["scan"]
    client, token = _signed_in(kavach, "examiner-1")
    page = client.get(f"/jobs/{job_id}")
    assert 'data-status="interrupted"' in page.text
    assert "the server process stopped" in page.text
    answer = client.post(f"/jobs/{job_id}/resume", data={"csrf": token})
    assert answer.status_code == 303, answer.text[:300]
    new_id = _job_id(answer.headers["location"])
    assert 'data-status="done"' in _until_finished(client, new_id, 300)
    result = client.get(f"/api/jobs/{new_id}").json()["result"]
    assert result["scan"] == scan_id and result["exhibit"] == "resumed-phone"
    assert result["files_hit"] == len({h.path for h in lab.demo.expected_hits})
    # Resumed once: a second resume would run the scan twice.
    again = client.post(f"/jobs/{job_id}/resume", data={"csrf": token})
    assert again.status_code == 400 and "resumed already" in again.text
