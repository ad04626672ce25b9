"""Phone extractions filed on their seized device: accounts, groups, resets, media."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, select

from kavach.errors import NotFoundError
from kavach.storage.casework_tables import seized_device
from kavach.storage.database import new_id
from kavach.storage.phone_tables import (
    phone_account,
    phone_extraction,
    phone_group,
    phone_group_member,
    phone_known_media,
    phone_reset,
)
from kavach.storage.timestamps import now as _now

if TYPE_CHECKING:
    from kavach.examination.messaging.model import AppRecords
    from kavach.examination.resets import ResetSign


class SqlPhoneRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def file(
        self,
        device_label: str,
        folder: str,
        apps: Sequence[AppRecords],
        known: Sequence[tuple[Any, list[dict[str, str | None]]]],
        resets: Sequence[ResetSign],
        warnings: Sequence[str],
        by: str,
    ) -> int:
        """One extraction's records, in one transaction; returns its id."""
        with self._engine.begin() as connection:
            device = connection.execute(
                select(seized_device.c.id).where(seized_device.c.label == device_label)
            ).scalar()
            if device is None:
                raise NotFoundError(
                    f"no seized device {device_label!r} (`kavach seizure add` first)"
                )
            extraction = new_id(
                connection.execute(
                    insert(phone_extraction).values(
                        device_id=device,
                        folder=folder,
                        read_at=_now(),
                        read_by=by,
                        databases=json.dumps([d for a in apps for d in a.databases]),
                        warnings=json.dumps(list(warnings)),
                    )
                )
            )
            accounts = [
                {
                    "extraction_id": extraction,
                    "app": a.app,
                    "role": role,
                    "identifier": account.identifier,
                    "phone": account.phone,
                    "name": account.name,
                    "username": account.username,
                }
                for a in apps
                for role, accounts in (("owner", a.owner), ("contact", a.contacts))
                for account in accounts
            ]
            if accounts:
                connection.execute(insert(phone_account), accounts)
            for a in apps:
                for group in a.groups:
                    group_id = new_id(
                        connection.execute(
                            insert(phone_group).values(
                                extraction_id=extraction,
                                app=group.app,
                                identifier=group.identifier,
                                name=group.name,
                                created_at=group.created,
                                creator=group.creator,
                            )
                        )
                    )
                    members = [
                        {
                            "group_id": group_id,
                            "identifier": m.account.identifier,
                            "phone": m.account.phone,
                            "name": m.account.name,
                            "admin": m.admin,
                            "creator": m.creator,
                            "active": m.active,
                        }
                        for m in group.members
                    ]
                    if members:
                        connection.execute(insert(phone_group_member), members)
            for sign in resets:
                connection.execute(
                    insert(phone_reset).values(
                        extraction_id=extraction,
                        kind=sign.kind,
                        at=sign.at,
                        time_basis=sign.time_basis,
                        source=sign.source,
                        detail=sign.detail,
                    )
                )
            for media, lists in known:
                connection.execute(
                    insert(phone_known_media).values(
                        extraction_id=extraction,
                        app=media.app,
                        sha256=media.sha256,
                        size=media.size,
                        path=media.path,
                        at=media.at,
                        chat=media.chat,
                        chat_name=media.chat_name,
                        sender=media.sender,
                        from_owner=media.from_owner,
                        lists=json.dumps(lists),
                    )
                )
        return extraction
