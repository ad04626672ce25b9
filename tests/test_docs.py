"""The README and the code agree: every setting and every command is documented."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.main import get_command

from kavach.cli.app import app
from kavach.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _commands(command: object, prefix: str) -> list[str]:
    """Every runnable command path of a click group, e.g. 'kavach hits review'."""
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [prefix]
    paths = []
    if getattr(command, "invoke_without_command", False):
        paths.append(prefix)
    for name, sub in sorted(subcommands.items()):
        paths.extend(_commands(sub, f"{prefix} {name}"))
    return paths


def test_every_setting_is_in_the_readme() -> None:
    missing = [
        f"KAVACH_{name.upper()}"
        for name in Settings.model_fields
        if f"KAVACH_{name.upper()}" not in README
    ]
    assert not missing, f"settings missing from README.md: {missing}"


def test_every_setting_has_a_description() -> None:
    assert all(field.description for field in Settings.model_fields.values())


def test_every_command_is_in_the_readme() -> None:
    paths = _commands(get_command(app), "kavach")
    assert len(paths) > 10 and "kavach audit list" in paths
    missing = [path for path in paths if f"`{path}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_typer_app_is_the_entry_point() -> None:
    assert isinstance(app, typer.Typer)
