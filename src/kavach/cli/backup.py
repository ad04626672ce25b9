"""``kavach backup`` and ``kavach restore``: the records in one encrypted file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from kavach.cli.context import actor, err, kavach, out, settings
from kavach.cli.progress import CountProgress
from kavach.errors import InputError

if TYPE_CHECKING:
    from kavach.backup.keys import KeySource

app = typer.Typer(
    help="Back up the database and indexes (encrypted); verify, list, make a key.",
    invoke_without_command=True,
)

_KEY = typer.Option("--key-file", help="The unit's key file (chmod 600).")
_PASS = typer.Option(
    "--passphrase", help="Use a passphrase (asked, or KAVACH_BACKUP_PASSPHRASE)."
)


def key_source(
    key_file: Path | None, passphrase: bool, confirm: bool
) -> KeySource | None:
    """The key the command was given: a key file, a passphrase, or none."""
    from kavach.backup.keys import KeySource

    if key_file is not None and passphrase:
        raise InputError("give --key-file or --passphrase, not both")
    if key_file is not None:
        return KeySource.key_file(key_file)
    if not passphrase:
        return None
    secret = settings().backup_passphrase
    text = (
        secret.get_secret_value()
        if secret
        else typer.prompt("passphrase", hide_input=True, confirmation_prompt=confirm)
    )
    return KeySource.passphrase(text)


@app.callback()
def backup_command(
    ctx: typer.Context,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="The backup file to write (.kvbk).")
    ] = None,
    key_file: Annotated[Path | None, _KEY] = None,
    passphrase: Annotated[bool, _PASS] = False,
    no_encrypt: Annotated[
        bool, typer.Option("--no-encrypt", help="Leave it readable by anyone.")
    ] = False,
    keep: Annotated[
        int | None, typer.Option(min=1, help="Keep only the N newest in its folder.")
    ] = None,
) -> None:
    """Write one backup file: database, index files and a manifest, encrypted."""
    if ctx.invoked_subcommand is not None:
        return
    if out_file is None:
        raise InputError("--out FILE: where to write the backup")
    key = key_source(key_file, passphrase, confirm=True)
    if key is None and not no_encrypt:
        raise InputError(
            "give --key-file K or --passphrase; --no-encrypt writes a backup anyone "
            "who finds it can read"
        )
    if key is not None and no_encrypt:
        raise InputError("--no-encrypt with a key: choose one")
    if no_encrypt:
        err.print(
            "[red bold]NOT ENCRYPTED:[/] this backup holds the unit's records in "
            "clear; keep it where only the unit can reach it"
        )
    with CountProgress("writing the backup", "bytes") as progress:
        result = kavach().services.backups.create(
            out_file, key, actor(), keep, progress.update
        )
    out.print(
        f"backup written: {result.path} ({result.size:,} bytes, "
        f"{sum(result.counts.values()):,} rows, "
        f"{'encrypted' if result.encrypted else 'NOT encrypted'})"
    )
    for path in result.removed:
        out.print(f"removed older backup {escape(str(path))} (--keep {keep})")


@app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(help="The backup file.")],
    key_file: Annotated[Path | None, _KEY] = None,
    passphrase: Annotated[bool, _PASS] = False,
) -> None:
    """Check a backup whole (key, every byte, every part) without restoring it."""
    key = key_source(key_file, passphrase, confirm=False)
    manifest = kavach().services.backups.verify(file, key, actor())
    out.print(
        f"{file}: whole; schema {manifest['schema']}, made "
        f"{manifest['created_at']} by {manifest['created_by']}, "
        f"{len(manifest['parts'])} parts, "
        f"{sum(manifest['counts'].values()):,} rows"
    )


@app.command("list")
def list_command(
    folder: Annotated[Path, typer.Argument(help="A folder of backups.")],
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Every backup in a folder with what it says in clear (no key needed)."""
    found = kavach().services.backups.in_folder(folder)
    rows = [{"file": str(b.path), **b.header} for b in found]
    if format == "json":
        print(json.dumps(rows, indent=1))
        return
    if not rows:
        out.print(f"no backups in {folder}")
    for row in rows:
        out.print(
            f"{row['file']}: {row.get('created_at')} schema {row.get('schema')} "
            f"{row.get('database')} {sum(row.get('counts', {}).values()):,} rows "
            f"{'encrypted' if row.get('encrypted') else 'NOT encrypted'}"
        )


@app.command("key")
def key_command(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the key.")],
) -> None:
    """Make a new random key file (mode 600); keep a copy off this machine."""
    from kavach.backup.keys import new_key_file

    new_key_file(out_file)
    out.print(f"key written to {out_file}: without it no backup made with it opens")


def restore_command(
    file: Annotated[Path, typer.Argument(help="The backup file.")],
    key_file: Annotated[Path | None, _KEY] = None,
    passphrase: Annotated[bool, _PASS] = False,
    force: Annotated[
        bool, typer.Option(help="Replace a database holding data (a copy is kept).")
    ] = False,
) -> None:
    """Restore a backup into an empty database and data folder (verified first)."""
    key = key_source(key_file, passphrase, confirm=False)
    manifest = kavach().services.backups.restore(file, key, actor(), force)
    for kept in manifest.get("kept", []):
        out.print(f"what was there before is kept in {kept}")
    out.print(
        f"restored {file}: schema {manifest['schema']} of "
        f"{manifest['created_at']}, {sum(manifest['counts'].values()):,} rows"
    )
