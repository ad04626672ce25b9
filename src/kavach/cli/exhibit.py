"""``kavach exhibit``: register forensic images and check their integrity."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kavach.cli.context import actor, err, kavach, out
from kavach.cli.progress import ByteProgress
from kavach.errors import VerificationError
from kavach.evidence.intake import Check

app = typer.Typer(no_args_is_help=True, help="Register forensic images (E01, raw).")


def print_checks(image: str, checks: list[Check]) -> bool:
    """Show each check; True when all passed."""
    for check in checks:
        verdict = "[green]ok[/green]" if check.ok else "[red bold]MISMATCH[/red bold]"
        out.print(
            f"{check.algorithm} {verdict}: expected {check.expected}, "
            f"computed {check.computed}"
        )
    if not all(c.ok for c in checks):
        err.print(
            f"[red bold]INTEGRITY CHECK FAILED[/red bold] for {escape(image)}: "
            "the image differs from its acquisition; the failure is recorded"
        )
        return False
    return True


@app.command("add")
def add_command(
    image: Annotated[
        Path,
        typer.Argument(
            help="The image (E01 first segment, raw, or the first of a split raw)."
        ),
    ],
    case: Annotated[str | None, typer.Option(help="Case reference.")] = None,
    label: Annotated[
        str | None, typer.Option(help="Exhibit label; default: the image's name.")
    ] = None,
) -> None:
    """Record IMAGE's hashes; verify an E01's stored acquisition hashes."""
    with ByteProgress(f"hashing {image.name}") as progress:
        intake = kavach().services.exhibits.add_image(
            image, case, label, actor(), progress.update
        )
    facts = intake.facts
    table = Table(title=f"{facts.kind.upper()} image {image.name}")
    table.add_column("field")
    table.add_column("value", overflow="fold")  # a digest is never cut short
    table.add_row("segments", ", ".join(Path(s).name for s in facts.segments))
    table.add_row("media size", f"{facts.media_size:,} bytes")
    for key, value in facts.header.items():
        table.add_row(key, value)
    table.add_row("md5", facts.md5)
    table.add_row("sha1", facts.sha1)
    table.add_row("sha256", facts.sha256)
    out.print(table)
    if intake.again:
        out.print("already registered: checked against its first intake")
    if not intake.checks:
        out.print("raw image: SHA-256 recorded; every scan of it checks it again")
    elif not print_checks(facts.path, intake.checks):
        what = "already registered; MISMATCH" if intake.again else "MISMATCH"
        raise VerificationError(
            f"{image}: {what}: it differs from what was acquired or registered"
        )


@app.command("verify")
def verify_command(
    image: Annotated[Path, typer.Argument(help="A registered image.")],
) -> None:
    """Check a registered image again (E01 stored hashes, or the intake SHA-256)."""
    with ByteProgress(f"hashing {image.name}") as progress:
        checks = kavach().services.exhibits.verify_image(
            image, actor(), progress.update
        )
    if not print_checks(str(image.resolve()), checks):
        raise VerificationError(f"{image}: integrity check failed")
