"""The audit log is chained: editing any entry is detected."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import update

from kavach.audit.chain import verify_chain
from kavach.bootstrap import Kavach
from kavach.storage.tables import audit_event


def test_chain_verifies_and_detects_tampering(app: Kavach) -> None:
    for index in range(3):
        app.audit.record("examiner", "scan.start", f"run-{index}", {"n": index})
    entries = app.audit.entries()
    assert verify_chain(entries) is None
    assert entries[1].prev_hash == entries[0].hash
    assert verify_chain([entries[0], replace(entries[1], actor="someone")]) == 1
    with app.engine.begin() as connection:
        connection.execute(
            update(audit_event)
            .where(audit_event.c.target == "run-1")
            .values(detail='{"n": 99}')
        )
    assert verify_chain(app.audit.entries()) == 1
