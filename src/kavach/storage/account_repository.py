"""Accounts, sessions and API tokens in the database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, Select, insert, select, update
from sqlalchemy.exc import IntegrityError

from kavach.access.lockout import LoginState
from kavach.access.records import NewUser, SessionRecord, TokenInfo, UserRecord
from kavach.access.roles import UserRole
from kavach.errors import InputError
from kavach.storage.account_tables import api_token, user_account, user_session
from kavach.storage.casework_repository import find_station
from kavach.storage.casework_tables import police_station
from kavach.storage.database import new_id


class SqlAccountRepository:
    """Implements ``kavach.access.ports.AccountRepository``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def station(self, name: str) -> tuple[int, str]:
        with self._engine.connect() as connection:
            station_id, station, _ = find_station(connection, name)
        return station_id, station

    # ---- accounts ----

    def add_user(self, new: NewUser) -> int:
        try:
            with self._engine.begin() as connection:
                return new_id(
                    connection.execute(
                        insert(user_account).values(
                            name=new.name,
                            role=new.role.value,
                            station_id=new.station_id,
                            lab=new.lab,
                            password_hash=new.password_hash,
                            created_at=new.created_at,
                            created_by=new.created_by,
                            password_changed_at=new.created_at,
                        )
                    )
                )
        except IntegrityError:
            raise InputError(f"a user {new.name!r} already exists") from None

    def user(self, name: str) -> UserRecord | None:
        return self._one_user(_users().where(user_account.c.name == name))

    def user_by_id(self, user_id: int) -> UserRecord | None:
        return self._one_user(_users().where(user_account.c.id == user_id))

    def users(self) -> list[UserRecord]:
        with self._engine.connect() as connection:
            rows = connection.execute(_users().order_by(user_account.c.name)).all()
        return [_user(r) for r in rows]

    def _one_user(self, query: Select[Any]) -> UserRecord | None:
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else _user(row)

    def set_password(
        self, user_id: int, password_hash: str, changed_at: datetime | None
    ) -> None:
        values: dict[str, Any] = {"password_hash": password_hash}
        if changed_at is not None:
            values["password_changed_at"] = changed_at
        self._update_user(user_id, **values)

    def set_login_state(self, user_id: int, state: LoginState) -> None:
        self._update_user(
            user_id,
            failed_logins=state.failed_logins,
            first_failure_at=state.first_failure_at,
            locked_until=state.locked_until,
        )

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self._update_user(user_id, disabled=disabled)

    def set_assignment(
        self, user_id: int, role: UserRole, station_id: int | None, lab: str | None
    ) -> None:
        self._update_user(user_id, role=role.value, station_id=station_id, lab=lab)

    def set_totp(self, user_id: int, secret: str | None) -> None:
        self._update_user(user_id, totp_secret=secret, totp_last_step=None)

    def set_totp_step(self, user_id: int, step: int) -> None:
        self._update_user(user_id, totp_last_step=step)

    def _update_user(self, user_id: int, **values: Any) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(user_account).where(user_account.c.id == user_id).values(values)
            )

    # ---- sessions ----

    def add_session(
        self,
        user_id: int,
        token_sha256: str,
        csrf_token: str,
        created_at: datetime,
        expires_at: datetime,
        source: str,
    ) -> int:
        with self._engine.begin() as connection:
            return new_id(
                connection.execute(
                    insert(user_session).values(
                        token_sha256=token_sha256,
                        user_id=user_id,
                        csrf_token=csrf_token,
                        created_at=created_at,
                        last_seen_at=created_at,
                        expires_at=expires_at,
                        source=source[:100],
                    )
                )
            )

    def session(self, token_sha256: str) -> SessionRecord | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(user_session).where(user_session.c.token_sha256 == token_sha256)
            ).first()
        if row is None:
            return None
        return SessionRecord(
            id=int(row.id),
            user_id=int(row.user_id),
            csrf_token=row.csrf_token,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            expires_at=row.expires_at,
            source=row.source,
            closed_at=row.closed_at,
        )

    def touch_session(self, session_id: int, at: datetime) -> None:
        self._update_session(user_session.c.id == session_id, last_seen_at=at)

    def close_session(self, session_id: int, at: datetime) -> None:
        self._update_session(user_session.c.id == session_id, closed_at=at)

    def close_sessions(self, user_id: int, at: datetime) -> int:
        return self._update_session(user_session.c.user_id == user_id, closed_at=at)

    def _update_session(self, where: Any, **values: Any) -> int:
        with self._engine.begin() as connection:
            result = connection.execute(
                update(user_session)
                .where(where, user_session.c.closed_at.is_(None))
                .values(values)
            )
        return int(result.rowcount)

    # ---- API tokens ----

    def add_token(
        self,
        user_id: int,
        name: str,
        token_sha256: str,
        scopes: Sequence[str],
        created_at: datetime,
        created_by: str,
        expires_at: datetime | None,
    ) -> int:
        with self._engine.begin() as connection:
            return new_id(
                connection.execute(
                    insert(api_token).values(
                        user_id=user_id,
                        name=name,
                        token_sha256=token_sha256,
                        scopes=json.dumps(list(scopes)),
                        created_at=created_at,
                        created_by=created_by,
                        expires_at=expires_at,
                    )
                )
            )

    def token(self, token_sha256: str) -> TokenInfo | None:
        return self._one_token(api_token.c.token_sha256 == token_sha256)

    def token_by_id(self, token_id: int) -> TokenInfo | None:
        return self._one_token(api_token.c.id == token_id)

    def _one_token(self, where: Any) -> TokenInfo | None:
        with self._engine.connect() as connection:
            row = connection.execute(_tokens().where(where)).first()
        return None if row is None else _token(row)

    def touch_token(self, token_id: int, at: datetime) -> None:
        self._update_token(token_id, last_used_at=at)

    def revoke_token(self, token_id: int, at: datetime) -> None:
        self._update_token(token_id, revoked_at=at)

    def _update_token(self, token_id: int, **values: Any) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(api_token).where(api_token.c.id == token_id).values(values)
            )

    def tokens(self) -> list[TokenInfo]:
        with self._engine.connect() as connection:
            rows = connection.execute(_tokens().order_by(api_token.c.id.desc())).all()
        return [_token(r) for r in rows]


def _users() -> Select[Any]:
    return select(user_account, police_station.c.name.label("station")).outerjoin(
        police_station, police_station.c.id == user_account.c.station_id
    )


def _user(row: Row[Any]) -> UserRecord:
    return UserRecord(
        id=int(row.id),
        name=row.name,
        role=UserRole(row.role),
        station_id=row.station_id,
        station=row.station,
        lab=row.lab,
        password_hash=row.password_hash,
        totp_secret=row.totp_secret,
        totp_last_step=row.totp_last_step,
        login=LoginState(
            int(row.failed_logins),
            row.first_failure_at,
            row.locked_until,
        ),
        disabled=bool(row.disabled),
        created_at=row.created_at,
        created_by=row.created_by,
        password_changed_at=row.password_changed_at,
    )


def _tokens() -> Select[Any]:
    return select(api_token, user_account.c.name.label("user")).join(
        user_account, user_account.c.id == api_token.c.user_id
    )


def _token(row: Row[Any]) -> TokenInfo:
    return TokenInfo(
        id=int(row.id),
        user_id=int(row.user_id),
        user=row.user,
        name=row.name,
        scopes=tuple(json.loads(row.scopes)),
        created_at=row.created_at,
        created_by=row.created_by,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )
