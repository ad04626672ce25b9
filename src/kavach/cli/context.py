"""Shared pieces of the CLI: the lazily built application and the consoles."""

from __future__ import annotations

from functools import cache

from rich.console import Console

from kavach.bootstrap import Kavach, build

# Progress and messages go to stderr so stdout carries only results (ids, CSV, JSON).
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@cache
def kavach() -> Kavach:
    """The application for this process, creating or upgrading the database once."""
    return build()
