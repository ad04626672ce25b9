"""``kavach hash``: digests and PDQ of files (JSON Lines, or one JSON array)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from kavach.cli.context import err


class HashFormat(StrEnum):
    JSONL = "jsonl"  # one object a line, printed as each file is done
    JSON = "json"  # one array, printed at the end


def describe(path: Path) -> dict[str, Any]:
    """The JSON object ``kavach hash`` prints for ``path``."""
    from kavach.evidence.filetype import sniff
    from kavach.evidence.hashing import hash_stream
    from kavach.perceptual.pdq import ImageDecodeError, pdq_of_stream

    with path.open("rb") as handle:
        digests, head = hash_stream(handle)
    record: dict[str, Any] = {
        "path": str(path),
        "size": digests.size,
        "md5": digests.md5,
        "sha1": digests.sha1,
        "sha256": digests.sha256,
        "pdq": None,
        "pdq_quality": None,
    }
    if sniff(head).kind == "image":
        try:
            with path.open("rb") as handle:
                pdq = pdq_of_stream(handle)
            record["pdq"], record["pdq_quality"] = pdq.hash, pdq.quality
        except ImageDecodeError as exc:
            err.print(
                f"[yellow]warning[/yellow] {escape(str(path))}: picture not decoded: "
                f"{escape(str(exc))}"
            )
    return record


def hash_command(
    files: Annotated[list[Path], typer.Argument(help="Files to hash.")],
    format: Annotated[
        HashFormat,
        typer.Option("--format", help="jsonl (an object a line) or json (one array)."),
    ] = HashFormat.JSONL,
) -> None:
    """Print size, MD5, SHA-1, SHA-256 and (pictures) PDQ hash and quality."""
    failed = False
    records = []
    for path in files:
        try:
            record = describe(path)
        except OSError as exc:
            err.print(
                f"[red]error[/red] {escape(str(path))}: "
                f"{escape(str(exc.strerror or exc))}"
            )
            failed = True
            continue
        if format is HashFormat.JSONL:
            print(json.dumps(record), flush=True)
        else:
            records.append(record)
    if format is HashFormat.JSON:
        print(json.dumps(records, indent=1))
    if failed:
        raise typer.Exit(1)
