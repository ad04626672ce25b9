"""What routes depend on, as ``Annotated`` types: the application's services and
the signed-in principal (a bearer token, or the session cookie of the pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from kavach.access.principal import Principal
from kavach.bootstrap import Kavach
from kavach.errors import TooManyAttemptsError

SESSION_COOKIE = "kavach_session"


def kavach_of(request: Request) -> Kavach:
    app: Kavach = request.app.state.kavach
    return app


KavachDep = Annotated[Kavach, Depends(kavach_of)]


def source_of(request: Request) -> str:
    """Where a request came from, for the audit log."""
    return request.client.host if request.client else "unknown"


def optional_principal(request: Request, kavach: KavachDep) -> Principal | None:
    accounts = kavach.services.accounts
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return accounts.token_principal(header[7:].strip())
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        found = accounts.session_principal(token)
        if found is not None:
            request.state.csrf = found[1]
            return found[0]
    return None


def principal(
    found: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if found is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "sign in: a bearer token from POST /api/auth/token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found


PrincipalDep = Annotated[Principal, Depends(principal)]
SourceDep = Annotated[str, Depends(source_of)]


def limit_sign_ins(request: Request) -> None:
    """``TooManyAttemptsError`` when this address tried too often this minute."""
    if not request.app.state.sign_ins.allow(source_of(request)):
        raise TooManyAttemptsError(
            "too many sign-in attempts from this address: wait a minute"
        )


SignInLimit = Annotated[None, Depends(limit_sign_ins)]
