"""``kavach users``: the local accounts of the web application and API.

Passwords are read from standard input (one line), or asked twice without echo at a
terminal, never taken as an argument: arguments show in ``ps`` and shell history.
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kavach.access.roles import Scope, UserRole
from kavach.cli.context import actor, err, kavach, out
from kavach.cli.listing import ListFormat, render
from kavach.errors import InputError

if TYPE_CHECKING:
    from kavach.access.records import TokenInfo, UserInfo

app = typer.Typer(no_args_is_help=True, help="Accounts of the web application and API.")

_FORMAT = typer.Option("--format", help="table, csv, or json (one array).")
Station = Annotated[
    str | None,
    typer.Option(help='Their police station ("name" or "name, police district").'),
]
Lab = Annotated[str | None, typer.Option(help="An examiner's lab.")]


def read_password() -> str:
    """The new password: asked twice at a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("new password: ")
        if getpass.getpass("again: ") != first:
            raise InputError("the two passwords differ")
        return first
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InputError("no password on standard input (one line)")
    return password


@app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="Letters, digits, '.', '_', '-'.")],
    role: Annotated[UserRole, typer.Option(help="What the user may see and do.")],
    station: Station = None,
    lab: Lab = None,
) -> None:
    """Add an account; the password is read from standard input."""
    user = kavach().services.accounts.add_user(
        name, role, read_password(), station, lab, actor()
    )
    out.print(f"user {user.name!r} added: {user.role.value}{_where(user)}")


@app.command("assign")
def assign_command(
    name: Annotated[str, typer.Argument(help="The user.")],
    role: Annotated[UserRole, typer.Option(help="Their role from now on.")],
    station: Station = None,
    lab: Lab = None,
) -> None:
    """Change a user's role, station or lab (in force at their next request)."""
    user = kavach().services.accounts.assign(name, role, station, lab, actor())
    out.print(f"user {user.name!r} is now {user.role.value}{_where(user)}")


@app.command("list")
def list_command(format: Annotated[ListFormat, _FORMAT] = ListFormat.TABLE) -> None:
    """Every account: role, station, lab, state, TOTP, who made it."""
    users = kavach().services.accounts.list_users(actor())
    render(
        [_row(u) for u in users],
        ["name", "role", "station", "lab", "disabled", "totp", "locked_until"],
        format,
        "no users: add one with kavach users add",
    )


@app.command("password")
def password_command(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Set a new password (from standard input); closes the user's sessions."""
    kavach().services.accounts.set_password(name, read_password(), actor())
    out.print(f"password of {name!r} changed")


@app.command("disable")
def disable_command(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Stop an account: no login, its sessions closed, its API tokens refused."""
    kavach().services.accounts.disable_user(name, actor())
    out.print(f"user {name!r} disabled")


@app.command("enable")
def enable_command(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Let a disabled account log in again."""
    kavach().services.accounts.enable_user(name, actor())
    out.print(f"user {name!r} enabled")


@app.command("totp")
def totp_command(
    name: Annotated[str, typer.Argument(help="The user.")],
    off: Annotated[
        bool, typer.Option("--off", help="Remove the authenticator app instead.")
    ] = False,
) -> None:
    """Require a code from an authenticator app at login; prints the otpauth://
    URI to give the user (once)."""
    accounts = kavach().services.accounts
    if off:
        accounts.disable_totp(name, actor())
        out.print(f"{name!r} logs in with a password alone")
        return
    print(accounts.enable_totp(name, actor()))
    err.print("give this URI (or its QR code) to the user; it is not shown again")


@app.command("token")
def token_command(
    name: Annotated[str, typer.Argument(help="The user the token acts as.")],
    token_name: Annotated[str, typer.Option("--name", help="What the token is for.")],
    scope: Annotated[
        list[Scope] | None,
        typer.Option("--scope", help="read or write (repeatable); default read."),
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", min=1, help="Expires after D days.")
    ] = None,
) -> None:
    """Issue an API token; prints its secret once (it is kept only as a hash)."""
    token_id, secret = kavach().services.accounts.issue_token(
        name, token_name, [s.value for s in scope or []], days, actor()
    )
    print(secret)
    err.print(f"API token {token_id}: keep the secret above; it is not shown again")


@app.command("tokens")
def tokens_command(format: Annotated[ListFormat, _FORMAT] = ListFormat.TABLE) -> None:
    """Every API token (never its secret): user, scopes, expiry, last use."""
    tokens = kavach().services.accounts.list_tokens(actor())
    render(
        [_token_row(t) for t in tokens],
        ["id", "user", "name", "scopes", "expires_at", "revoked_at", "last_used_at"],
        format,
        "no API tokens",
    )


@app.command("revoke-token")
def revoke_token_command(
    token_id: Annotated[int, typer.Argument(help="Its id (kavach users tokens).")],
) -> None:
    """Revoke an API token at once."""
    token = kavach().services.accounts.revoke_token(token_id, actor())
    out.print(f"API token {token_id} ({token.name!r} of {token.user!r}) revoked")


def _where(user: UserInfo) -> str:
    return f" at {user.station}" if user.station else ""


def _row(user: UserInfo) -> dict[str, Any]:
    row = _plain(dataclasses.asdict(user))
    row["role"] = user.role.value
    return row


def _token_row(token: TokenInfo) -> dict[str, Any]:
    row = _plain(dataclasses.asdict(token))
    row["scopes"] = list(token.scopes)
    return row


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """Times to the second, in UTC as stored (ISO 8601)."""
    return {
        k: v.isoformat(timespec="seconds") if isinstance(v, datetime) else v
        for k, v in row.items()
    }
