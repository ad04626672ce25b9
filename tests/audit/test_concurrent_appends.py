"""Several processes appending at once (a server's workers) keep one unbroken
chain, even with identical entries in the same second."""

from __future__ import annotations

import multiprocessing

from kavach.audit.chain import verify_chain
from kavach.storage.audit_repository import SqlAuditLog
from kavach.storage.database import make_engine, upgrade

WRITERS, EACH = 4, 25


def _append(url: str) -> None:
    engine = make_engine(url)
    log = SqlAuditLog(engine)
    for _ in range(EACH):
        # The same entry from every writer: same actor, action, target, second.
        log.record("analyst-1", "tips.list", "tips", {"ids": [1, 2, 3]})
    engine.dispose()


def test_concurrent_writers_keep_one_chain(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_append, args=(database_url,)) for _ in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    engine = make_engine(database_url)
    entries = SqlAuditLog(engine).entries()
    engine.dispose()
    assert len(entries) == WRITERS * EACH
    assert verify_chain(entries) is None
    assert len({e.prev_hash for e in entries}) == len(entries)  # no fork
