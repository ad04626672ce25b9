"""How an audit entry is chained to the one before it.

Each entry's hash covers the previous entry's hash and its own content, so removing
or editing any entry breaks every hash after it; ``verify_chain`` finds where.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str
    id: int | None = None  # the row number once stored; not part of the hash


def entry_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    detail: dict[str, Any],
) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(), actor, action, target, detail],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def verify_chain(entries: Iterable[AuditEntry]) -> int | None:
    """Position of the first entry that breaks the chain, or None if it is whole."""
    previous = GENESIS
    for position, entry in enumerate(entries):
        expected = entry_hash(
            previous, entry.at, entry.actor, entry.action, entry.target, entry.detail
        )
        if entry.prev_hash != previous or entry.hash != expected:
            return position
        previous = entry.hash
    return None
