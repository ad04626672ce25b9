"""Shared pieces of the CLI: the lazily built application and the consoles."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:  # importing bootstrap pulls in storage and every service
    from kavach.bootstrap import Kavach
    from kavach.settings import Settings

# Progress and messages go to stderr so stdout carries only results (ids, CSV, JSON).
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@cache
def settings() -> Settings:
    """The ``KAVACH_*`` settings of this process, read once."""
    from kavach.settings import load_settings

    return load_settings()


@cache
def kavach() -> Kavach:
    """The application for this process, creating or upgrading the database once."""
    from kavach.bootstrap import build

    return build(settings())


def actor() -> str:
    """Who is acting: ``KAVACH_USER`` or the login name."""
    return settings().actor()


def sweep_watchlist() -> None:
    """After a command that adds records: raise the watchlist's alerts and say so
    (the analyst reads them with ``kavach watch alerts``)."""
    raised = kavach().services.watch.sweep(actor())
    if raised:
        err.print(
            f"[red]watchlist[/red]: {raised} new alerts (`kavach watch alerts`)",
            highlight=False,
        )
