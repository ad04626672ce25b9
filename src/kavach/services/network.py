"""The network of directory persons: ``kavach network``. Audited (personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kavach.audit.ports import AuditLog

if TYPE_CHECKING:
    from kavach.entities.network import Network
    from kavach.entities.ports import NetworkQueries


@dataclass(frozen=True)
class Exports:
    graphml: Path | None = None
    edges: Path | None = None
    maltego: Path | None = None


class NetworkService:
    def __init__(self, queries: NetworkQueries, audit: AuditLog) -> None:
        self._queries = queries
        self._audit = audit

    def network(self, actor: str, exports: Exports = Exports()) -> Network:
        """Build the network of every filed person; write the exports asked for."""
        from kavach.entities.network import build
        from kavach.entities.network_export import (
            write_edges,
            write_graphml,
            write_maltego,
        )

        q = self._queries
        members = q.members()
        network = build(
            q.profiles(),
            q.group_members(),
            q.items(members),
            q.attributions(members),
            q.contacts(members),
        )
        written = []
        if exports.graphml:
            write_graphml(network, exports.graphml)
            written.append(str(exports.graphml))
        for path, writer in (
            (exports.edges, write_edges),
            (exports.maltego, write_maltego),
        ):
            if path:
                with path.open("w", encoding="utf-8", newline="") as out:
                    writer(network, out)
                written.append(str(path))
        self._audit.record(
            actor,
            "network.build",
            "directory",
            {
                "nodes": len(network.nodes),
                "edges": len(network.edges),
                "communities": len(network.communities),
                "exports": written,
            },
        )
        return network
