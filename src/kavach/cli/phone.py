"""``kavach phone apps``: what the messaging apps on a phone extraction say."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kavach.cli.context import actor, err, kavach, out, sweep_watchlist
from kavach.cli.jsonable import jsonable
from kavach.cli.reviews import (
    AgeBandOption,
    NoteOption,
    SelfProducedOption,
    decided_as,
    print_history,
)
from kavach.vocabulary import Review

app = typer.Typer(no_args_is_help=True, help="Phone extractions.")


class AppsFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("apps")
def apps_command(
    folder: Annotated[Path, typer.Argument(help="The extraction's folder.")],
    format: Annotated[AppsFormat, typer.Option("--format")] = AppsFormat.TABLE,
    device: Annotated[
        str | None,
        typer.Option(
            "--device",
            help="File what the apps say on this seized device (its label): "
            "accounts and contacts join the directory, groups the network.",
        ),
    ] = None,
) -> None:
    """Owners, contacts, groups (creator, admins, members) and media records of
    WhatsApp (Android, iOS) and Telegram (Android); media whose SHA-256 a list
    holds are 'known file, once present', even when the file is gone; and signs
    that the device was reset. Never message text. Read-only; audited."""
    report = kavach().services.messaging.read_extraction(folder, actor(), device)
    if device is not None:
        sweep_watchlist()
    if format is AppsFormat.JSON:
        out.print_json(
            json.dumps(
                jsonable(
                    {
                        "folder": report.folder,
                        "apps": [asdict(a) for a in report.apps],
                        "known_media": [asdict(k) for k in report.known],
                        "resets": [asdict(r) for r in report.resets],
                        "warnings": report.warnings,
                        "extraction": report.extraction_id,
                    }
                )
            )
        )
        return
    for records in report.apps:
        owners = ", ".join(a.phone or a.identifier for a in records.owner) or "unknown"
        out.print(
            f"{records.app}: {escape(records.databases[0])}\n"
            f"  owner {escape(owners)}; {len(records.contacts)} contacts, "
            f"{len(records.groups)} groups, {len(records.media)} media records",
            highlight=False,
        )
        for group in records.groups:
            admins = sum(m.admin for m in group.members)
            out.print(
                f"  group {escape(group.name or group.identifier)}: "
                f"{len(group.members)} members, {admins} admins, creator "
                f"{escape(group.creator or 'not recorded')}",
                highlight=False,
            )
    for known in report.known:
        m = known.media
        names = ", ".join(f"{x['list']} ({x['category'] or '-'})" for x in known.lists)
        out.print(
            f"[red]known file, once present[/red]: sha256 {m.sha256} in "
            f"{escape(m.chat_name or m.chat or '?')} from "
            f"{escape(m.sender or 'the owner')} at "
            f"{m.at.isoformat() if m.at else 'unknown time'}: {escape(names)}",
            highlight=False,
        )
    for sign in report.resets:
        out.print(f"[yellow]{escape(sign.sentence())}[/yellow]", highlight=False)
    for warning in report.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(warning)}", highlight=False)
    if not report.apps:
        out.print("no messaging database found")
    if report.extraction_id is not None:
        out.print(
            f"filed on {escape(device or '')} as extraction {report.extraction_id}",
            highlight=False,
        )


@app.command("media")
def media_command(
    device: Annotated[
        str | None, typer.Option("--device", help="Of this seized device only.")
    ] = None,
    format: Annotated[AppsFormat, typer.Option("--format")] = AppsFormat.TABLE,
) -> None:
    """Known files once present: media records whose SHA-256 a list held when the
    chats were read, the file gone from the phone; each with its latest decision
    (pending until an examiner reviews it with 'kavach phone review-media')."""
    rows = kavach().services.material.known_media(device, actor())
    if format is AppsFormat.JSON:
        out.print_json(json.dumps(jsonable([asdict(r) for r in rows])))
        return
    if not rows:
        out.print("no known media records" + (f" on {device}" if device else ""))
    for r in rows:
        names = ", ".join(f"{x['list']} ({x.get('category') or '-'})" for x in r.lists)
        decided = r.decision.value + (f", {r.category}" if r.category else "")
        out.print(
            f"media {r.media_id} on {escape(r.device)} ({r.app}): {decided}; sha256 "
            f"{r.sha256} in {escape(r.chat or '?')} from "
            f"{escape(r.sender or 'the owner')} at "
            f"{r.at.isoformat() if r.at else 'unknown time'}: {escape(names)}",
            highlight=False,
        )


@app.command("review-media")
def review_media_command(
    media_id: Annotated[
        int, typer.Argument(help="The media record of 'kavach phone media'.")
    ],
    decision: Annotated[
        Review, typer.Option(help="confirmed, rejected (or pending, with --note).")
    ],
    note: NoteOption = None,
    category: Annotated[
        str | None, typer.Option(help="The category, per the list's scheme.")
    ] = None,
    age_band: AgeBandOption = None,
    self_produced: SelfProducedOption = None,
) -> None:
    """Confirm or reject a known file once present as material (the file is gone:
    the examiner judges by the list, the chat, the sender and the time); kept with
    every earlier decision, audited, and counted by 'kavach stats material'."""
    review = kavach().services.material.review_media(
        media_id, decision, actor(), note, category, age_band, self_produced
    )
    shown = decided_as(review)
    out.print(
        f"media {media_id} on {escape(review.device)}: {review.decision}"
        + (f" ({escape(shown)})" if shown else ""),
        highlight=False,
    )


@app.command("media-history")
def media_history_command(
    media_id: Annotated[int, typer.Argument(help="The media record.")],
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Every decision on a known media record, oldest first: who, when, why."""
    history = kavach().services.material.media_history(media_id, actor())
    print_history("media record", media_id, history, format)
