"""Keyset paging (``?after=``) gives the same rows, in the same order, as walking
the list by offset — with ties in the sort key and tips without a received time,
which the two databases sort at opposite ends — and the pages follow it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from kavach.access.roles import UserRole
from kavach.storage.casework_tables import target, tip
from kavach.storage.tables import audit_event
from tests.api.conftest import Served, signed_in

LISTS = ["tips", "targets", "cases", "persons", "audit", "hits", "exhibits"]


@pytest.fixture(scope="module")
def awkward(served: Served) -> Served:
    """Ties and gaps in the sort keys: three tips received in the same second,
    two with no received time, and targets sharing a score."""
    with served.kavach.engine.begin() as connection:
        ids = connection.execute(select(tip.c.id).order_by(tip.c.id)).scalars().all()
        same = connection.execute(
            select(tip.c.received_at).where(tip.c.id == ids[0])
        ).scalar_one()
        connection.execute(
            update(tip).where(tip.c.id.in_(ids[1:4])).values(received_at=same)
        )
        connection.execute(
            update(tip).where(tip.c.id.in_(ids[4:6])).values(received_at=None)
        )
        connection.execute(update(target).values(score=7))
    return served


def _walk(served: Served, kind: str, headers: dict[str, str], **by: Any) -> list[int]:
    seen: list[int] = []
    after: int | None = None
    while True:
        query = f"/api/{kind}?limit=5" + (f"&after={after}" if after else "")
        page = served.client.get(query, headers=headers).json()
        seen += [item["id"] for item in page["items"]]
        after = page["next_after"]
        if after is None:
            return seen


@pytest.mark.parametrize("kind", LISTS)
def test_after_walks_the_same_rows_as_offset(awkward: Served, kind: str) -> None:
    headers = awkward.as_role(UserRole.SUPERVISOR)
    whole = awkward.client.get(f"/api/{kind}?limit=500", headers=headers).json()
    if kind == "audit":  # each page read adds an entry, newer than the walk
        walked = _walk(awkward, kind, headers)
        with awkward.kavach.engine.connect() as connection:
            held = connection.execute(
                select(audit_event.c.id)
                .where(audit_event.c.id <= walked[0])
                .order_by(audit_event.c.id.desc())
            ).scalars()
            assert walked == list(held)
        assert {i["id"] for i in whole["items"]} <= set(walked)
        return
    expected = [item["id"] for item in whole["items"]]
    assert expected, kind
    assert _walk(awkward, kind, headers) == expected


def test_an_investigator_walks_only_their_station(awkward: Served) -> None:
    headers = awkward.as_role(UserRole.INVESTIGATOR)
    own = awkward.client.get("/api/tips?limit=500", headers=headers).json()
    assert _walk(awkward, "tips", headers) == [i["id"] for i in own["items"]]


def test_an_unknown_after_is_a_clear_error(awkward: Served) -> None:
    headers = awkward.as_role(UserRole.SUPERVISOR)
    answer = awkward.client.get("/api/tips?after=99999999", headers=headers)
    assert answer.status_code == 400
    assert "after=99999999" in answer.json()["detail"]


def test_the_pages_next_link_follows_the_keyset(awkward: Served) -> None:
    client, _ = signed_in(awkward, UserRole.SUPERVISOR)
    first = client.get("/audit").text
    link = first.split('href="/audit?after=', 1)[1].split('"', 1)[0]
    second = client.get(f"/audit?after={link}")
    assert second.status_code == 200 and 'href="/audit">newest' in second.text
    shown = second.text.split('id="audit"', 1)[1]
    assert f"<td>{int(link) - 1}</td>" in shown  # the entry just older than the link
