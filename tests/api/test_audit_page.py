"""The audit-chain page names the row someone edited in the database directly."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select, update

from kavach.api.app import create_app
from kavach.bootstrap import build
from kavach.settings import Settings
from kavach.storage.tables import audit_event
from tests.helpers.db import lift_append_only_guard

PASSWORD = "correct horse battery staple"


def _signed_in(client: TestClient) -> None:
    form = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert form
    done = client.post(
        "/login",
        data={"username": "supervisor-1", "password": PASSWORD, "csrf": form[1]},
    )
    assert done.status_code == 303


def test_an_edited_row_is_named_by_its_id(tmp_path: Path) -> None:
    kavach = build(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'k.db'}",
            data_dir=tmp_path / "data",
            secret_key=SecretStr("t" * 40),
        )
    )
    kavach.services.accounts.add_user(
        "supervisor-1", "supervisor", PASSWORD, None, None, "test"
    )
    for n in range(5):
        kavach.audit.record("analyst-1", "tips.list", "tips", {"ids": [n]})
    client = TestClient(create_app(kavach), follow_redirects=False)
    _signed_in(client)
    page = client.get("/audit/verify")
    assert page.status_code == 200 and 'id="chain-ok"' in page.text
    with kavach.engine.begin() as connection:
        victim = (
            connection.execute(
                select(audit_event.c.id).where(audit_event.c.action == "tips.list")
            )
            .scalars()
            .all()[2]
        )
        lift_append_only_guard(connection, "audit_event")
        connection.execute(
            update(audit_event)
            .where(audit_event.c.id == victim)
            .values(detail='{"ids": [99]}')
        )
    page = client.get("/audit/verify")
    assert page.status_code == 409
    assert f"broken at entry {victim}" in page.text
    kavach.close()
