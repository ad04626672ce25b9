"""The audit log is chained: editing any entry is detected."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from kavach.audit.chain import verify_chain
from kavach.bootstrap import Kavach
from kavach.storage.tables import audit_event
from tests.helpers.db import lift_append_only_guard


def test_chain_verifies_and_detects_tampering(app: Kavach) -> None:
    for index in range(3):
        app.audit.record("examiner", "scan.start", f"run-{index}", {"n": index})
    entries = app.audit.entries()
    assert verify_chain(entries) is None
    assert entries[1].prev_hash == entries[0].hash
    assert verify_chain([entries[0], replace(entries[1], actor="someone")]) == 1
    # The database itself refuses to change or remove an entry...
    for statement in (update(audit_event).values(actor="x"), delete(audit_event)):
        with pytest.raises(DBAPIError, match="append-only"):
            with app.engine.begin() as connection:
                connection.execute(statement)
    assert app.audit.entries() == entries
    # ...and one who lifts that guard is still caught by the chain.
    with app.engine.begin() as connection:
        lift_append_only_guard(connection, "audit_event")
        connection.execute(
            update(audit_event)
            .where(audit_event.c.target == "run-1")
            .values(detail='{"n": 99}')
        )
    assert verify_chain(app.audit.entries()) == 1
