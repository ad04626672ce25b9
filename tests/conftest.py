"""Shared fixtures: databases (SQLite always, PostgreSQL when the machine has it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach, build
from kavach.settings import Settings
from tests.helpers.cli import Env
from tests.helpers.db import fresh_postgres

# The disk tools (mkfs.*, sfdisk, debugfs) live in /usr/sbin on Debian.
for _folder in ("/usr/sbin", "/sbin"):
    if _folder not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.environ.get("PATH", "") + os.pathsep + _folder

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TESTDATA = SHARED / "testdata"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test that takes this runs on SQLite and again on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kavach.db'}"
    else:
        with fresh_postgres() as url:
            yield url


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> Env:
    return Env(database_url, tmp_path / "data")


@pytest.fixture
def sqlite_env(tmp_path: Path) -> Env:
    return Env(f"sqlite:///{tmp_path / 'kavach.db'}", tmp_path / "data")


@pytest.fixture
def app(env: Env) -> Iterator[Kavach]:
    kavach = build(
        Settings(
            database_url=env.database_url, data_dir=env.data_dir, user="test-examiner"
        )
    )
    yield kavach
    kavach.close()


@pytest.fixture
def sqlite_app(sqlite_env: Env) -> Iterator[Kavach]:
    kavach = build(
        Settings(
            database_url=sqlite_env.database_url,
            data_dir=sqlite_env.data_dir,
            user="test-examiner",
        )
    )
    yield kavach
    kavach.close()


@pytest.fixture
def testdata() -> Path:
    if not TESTDATA.is_dir():
        pytest.fail(f"shared test vectors not found at {TESTDATA}")
    return TESTDATA
