"""The API over the demo's data, on SQLite and on PostgreSQL, with one account per
role (the examiner is the demo's examiner, so the demo exhibit is theirs)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select

from kavach.access.roles import UserRole
from kavach.api.app import create_app
from kavach.bootstrap import Kavach, build
from kavach.hashsets.importer import ImportOptions
from kavach.services.jobs import ListUpload
from kavach.settings import Settings
from kavach.storage.casework_tables import case_record, police_station, tip
from tests.helpers.db import fresh_postgres

PASSWORD = "correct horse battery staple"
EXAMINER = "examiner-1"


@dataclass
class Served:
    kavach: Kavach
    client: TestClient
    station: str  # the investigator's station: it has tips and a case
    other_station: str  # one with a case the investigator must not see
    tip_id: int  # a tip and a case of the investigator's station
    case_id: int
    other_case_id: int
    job_id: int  # a list import the examiner started
    directory_person: int  # the demo's repeat offender in the directory
    _tokens: dict[UserRole, str] = field(default_factory=dict)

    def token(self, role: UserRole) -> str:
        if role in self._tokens:
            return self._tokens[role]
        done = self.client.post(
            "/api/auth/token", data={"username": _name(role), "password": PASSWORD}
        )
        assert done.status_code == 200, done.text
        token: str = done.json()["access_token"]
        self._tokens[role] = token
        return token

    def as_role(self, role: UserRole) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role)}"}


def _name(role: UserRole) -> str:
    return EXAMINER if role is UserRole.EXAMINER else f"{role.value}-1"


def _demo(workdir: Path, database_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "kavach", "demo", "--workdir", str(workdir),
         "--database-url", database_url],
        check=True,
        capture_output=True,
        env={**os.environ, "KAVACH_USER": EXAMINER},
    )  # fmt: skip


def _stations(kavach: Kavach) -> tuple[str, str]:
    """The station with most tips (the investigator's) and one with a case."""
    with kavach.engine.connect() as connection:
        busiest = (
            connection.execute(
                select(police_station.c.name)
                .join(tip, tip.c.station_id == police_station.c.id)
                .group_by(police_station.c.name)
                .order_by(func.count(tip.c.id).desc(), police_station.c.name)
            )
            .scalars()
            .first()
        )
        other = (
            connection.execute(
                select(police_station.c.name)
                .join(case_record, case_record.c.station_id == police_station.c.id)
                .where(police_station.c.name != busiest)
                .order_by(police_station.c.name)
            )
            .scalars()
            .first()
        )
    assert busiest and other, "the demo routes tips and registers cases"
    return busiest, other


def _register_case(workdir: Path, database_url: str, station: str) -> None:
    """A case at the investigator's station (the demo's cases are at the stations
    its searches were made from)."""
    subprocess.run(
        [sys.executable, "-m", "kavach", "case", "register", "--station", station,
         "--year", "2026", "--serial", "901", "--section", "IT Act 67B"],
        check=True,
        capture_output=True,
        env={**os.environ, "KAVACH_DATABASE_URL": database_url,
             "KAVACH_DATA_DIR": str(workdir / "kavach-data")},
    )  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    workdir = tmp_path_factory.mktemp("demo")
    with _database(request.param, workdir) as url:
        _demo(workdir / "demo", url)
        kavach = build(
            Settings(
                database_url=url,
                data_dir=workdir / "demo" / "kavach-data",
                secret_key=SecretStr("test-secret-" + "x" * 40),
                evidence_root=workdir / "demo",  # the demo's exhibit folder
                workers=1,
            )
        )
        station, other = _stations(kavach)
        _register_case(workdir / "demo", url, station)
        tip_id = _first(kavach, station, tip)
        case_id = _first(kavach, station, case_record)
        other_case = _first(kavach, other, case_record)
        accounts = kavach.services.accounts
        for role in UserRole:
            accounts.add_user(
                _name(role),
                role,
                PASSWORD,
                station if role is UserRole.INVESTIGATOR else None,
                None,
                "test-admin",
            )
        job_id = _list_job(kavach, workdir / "demo")
        repeat = next(
            p.person_id
            for p in kavach.services.directory.recurring("test-admin")
            if p.repeat() is not None
        )
        with TestClient(create_app(kavach)) as client:
            yield Served(
                kavach,
                client,
                station,
                other,
                tip_id,
                case_id,
                other_case,
                job_id,
                repeat,
            )
        kavach.close()


def _list_job(kavach: Kavach, demo: Path) -> int:
    """A background import of one of the demo's lists, by the examiner, ended."""
    jobs = kavach.services.jobs
    path = next((demo / "lists").iterdir())
    with path.open("rb") as stream:
        job_id = jobs.start_list_import(
            ListUpload(path.name, stream, ImportOptions(name="web-list")), EXAMINER
        )
        jobs.wait(job_id, 120)
    return job_id


def _first(kavach: Kavach, station: str, table: Any) -> int:
    """The first record of ``table`` (tip or case_record) at ``station``."""
    with kavach.engine.connect() as connection:
        station_id = connection.execute(
            select(police_station.c.id).where(police_station.c.name == station)
        ).scalar_one()
        found = connection.execute(
            select(func.min(table.c.id)).where(table.c.station_id == station_id)
        ).scalar_one()
    assert found is not None, (station, table.name)
    return int(found)


@contextmanager
def _database(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'kavach.db'}"
    else:
        with fresh_postgres() as url:
            yield url


def signed_in(served: Served, role: UserRole) -> tuple[TestClient, str]:
    client = TestClient(create_app(served.kavach), follow_redirects=False)
    form = form_token(client.get("/login").text)
    done = client.post(
        "/login", data={"username": _name(role), "password": PASSWORD, "csrf": form}
    )
    assert done.status_code == 303, done.text
    return client, form_token(client.get("/").text)


def form_token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)
