"""``kavach exhibit``: register forensic images and check their integrity."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kavach.cli.context import err, kavach, out
from kavach.cli.progress import ByteProgress
from kavach.errors import VerificationError
from kavach.evidence.intake import Check, intake_checks, read_image, recheck

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
    app_ = kavach()
    actor = app_.settings.actor()
    with ByteProgress(f"hashing {image.name}") as progress:
        facts = read_image(image, progress.update)
    registered = app_.images.register(facts, case, label or image.name, actor)
    checks = intake_checks(facts)
    app_.images.record_checks(registered.id, "intake", checks)
    app_.audit.record(
        actor,
        "exhibit.add",
        facts.path,
        {
            "kind": facts.kind,
            "sha256": facts.sha256,
            "checks": {c.algorithm: c.ok for c in checks},
        },
    )
    table = Table(title=f"{facts.kind.upper()} image {image.name}")
    table.add_column("field")
    table.add_column(
        "value", overflow="fold"
    )  # a digest is never cut short} image {image.name}")
    table.add_row("segments", ", ".join(Path(s).name for s in facts.segments))
    table.add_row("media size", f"{facts.media_size:,} bytes")
    for key, value in facts.header.items():
        table.add_row(key, value)
    table.add_row("md5", facts.md5)
    table.add_row("sha1", facts.sha1)
    table.add_row("sha256", facts.sha256)
    out.print(table)
    if not checks:
        out.print("raw image: SHA-256 recorded; every scan of it checks it again")
    elif not print_checks(facts.path, checks):
        raise VerificationError(f"{image}: stored acquisition hash does not match")


@app.command("verify")
def verify_command(
    image: Annotated[Path, typer.Argument(help="A registered image.")],
) -> None:
    """Check a registered image again (E01 stored hashes, or the intake SHA-256)."""
    app_ = kavach()
    registered = app_.images.under(str(image.resolve()))
    if not registered:
        raise VerificationError(f"{image}: not registered (kavach exhibit add)")
    with ByteProgress(f"hashing {image.name}") as progress:
        checks = recheck(registered[0], read_image(image, progress.update))
    app_.images.record_checks(registered[0].id, "manual", checks)
    if not print_checks(registered[0].path, checks):
        raise VerificationError(f"{image}: integrity check failed")
