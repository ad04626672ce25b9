"""POST /api/auth/token: an OAuth2 password form gives a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from kavach.api.deps import KavachDep, PrincipalDep, SignInLimit, SourceDep

router = APIRouter(prefix="/api/auth", tags=["auth"])

# A token asked for with the password form lives a working day.
TOKEN_DAYS = 1


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class WhoAmI(BaseModel):
    name: str
    role: str
    station: str | None
    lab: str | None


@router.post("/token", response_model=TokenOut)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    kavach: KavachDep,
    source: SourceDep,
    _limit: SignInLimit,
) -> TokenOut:
    accounts = kavach.services.accounts
    who = accounts.authenticate(form.username, form.password, None, source)
    scopes = [s for s in form.scopes if s in ("read", "write")] or ["read"]
    _, secret = accounts.issue_token(
        who.name, f"password form from {source}", scopes, TOKEN_DAYS, who.name
    )
    return TokenOut(access_token=secret)


@router.get("/me", response_model=WhoAmI)
def me(reader: PrincipalDep) -> WhoAmI:
    return WhoAmI(
        name=reader.name, role=reader.role.value, station=reader.station, lab=reader.lab
    )
