"""The network written for other tools: GraphML, a CSV edge list, a Maltego table.

Maltego's "Import Graph from Table" reads one row per link: the two entities'
types and values and the link's label; the types are Maltego's standard ones, so
the import wizard maps the columns without a custom entity.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from kavach.entities.network import Network

MALTEGO_TYPES = {
    "person": "maltego.Person",
    "group": "maltego.Phrase",
    "phone": "maltego.PhoneNumber",
    "email": "maltego.EmailAddress",
    "handle": "maltego.Alias",
    "screen_name": "maltego.Alias",
    "esp_user_id": "maltego.Alias",
    "imei": "maltego.Device",
    "exhibit": "maltego.Device",
    "item": "maltego.Hash",
}


def write_graphml(network: Network, path: Path) -> None:
    import networkx as nx  # type: ignore[import-untyped]

    nx.write_graphml(network.graph(), path)


def write_edges(network: Network, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "source",
            "source_kind",
            "source_label",
            "target",
            "target_kind",
            "target_label",
            "kind",
            "evidence",
            "community",
        ]
    )
    community = {
        p: str(n) for n, c in enumerate(network.communities, start=1) for p in c.persons
    }
    for e in network.edges:
        a, b = network.nodes[e.source], network.nodes[e.target]
        writer.writerow(
            [
                e.source,
                a["kind"],
                a["label"],
                e.target,
                b["kind"],
                b["label"],
                e.kind,
                "; ".join(e.evidence),
                community.get(e.source, ""),
            ]
        )


def write_maltego(network: Network, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["source_type", "source_value", "link_label", "target_type", "target_value"]
    )
    for e in network.edges:
        a, b = network.nodes[e.source], network.nodes[e.target]
        writer.writerow(
            [
                MALTEGO_TYPES.get(a["kind"], "maltego.Phrase"),
                f"{a['label']} [{e.source}]" if a["kind"] == "person" else a["label"],
                f"{e.kind}: {'; '.join(e.evidence)}",
                MALTEGO_TYPES.get(b["kind"], "maltego.Phrase"),
                f"{b['label']} [{e.target}]" if b["kind"] == "person" else b["label"],
            ]
        )
