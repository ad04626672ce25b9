"""``kavach report``: the papers a court asks for — the exhibit's examination
report, the BSA 2023 s.63 certificate, the BNSS s.193(3)(i) custody annex."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kavach.cli.context import actor, kavach, out

app = typer.Typer(help="The exhibit report, the s.63 certificate, the custody annex.")

_OUT = typer.Option("--out", help="The file to write.")


@app.command("exhibit")
def exhibit_command(
    exhibit: Annotated[str, typer.Argument(help="The exhibit's label or id.")],
    out_file: Annotated[Path, _OUT],
    pdf: Annotated[bool, typer.Option("--pdf", help="PDF, not HTML.")] = False,
) -> None:
    """The exhibit's examination report (its latest complete scan), with its CSVs
    beside it; hashes and metadata only, never an image."""
    written = kavach().services.papers.exhibit_report(exhibit, out_file, pdf, actor())
    out.print(f"{written.path} (SHA-256 {written.sha256})", highlight=False)
    for companion in written.companions:
        out.print(f"  with {companion}", highlight=False)


@app.command("certificate")
def certificate_command(
    exhibit: Annotated[str, typer.Argument(help="The exhibit's label or id.")],
    out_file: Annotated[Path, _OUT],
) -> None:
    """The certificate under BSA 2023 s.63 (Part A filled from the exhibit and its
    hashes, Part B for the examiner), as PDF to sign, with its hash report."""
    written = kavach().services.papers.certificate(exhibit, out_file, actor())
    out.print(f"{written.path} (SHA-256 {written.sha256})", highlight=False)
    for companion in written.companions:
        out.print(f"  hash report enclosed: {companion}", highlight=False)


@app.command("custody")
def custody_command(
    case: Annotated[int, typer.Argument(help="The case id (kavach cases).")],
    out_file: Annotated[Path, _OUT],
) -> None:
    """The sequence of custody of every electronic device of a case (BNSS 2023
    s.193(3)(i)), as PDF for the final report."""
    written = kavach().services.papers.custody_annex(case, out_file, actor())
    out.print(f"{written.path} (SHA-256 {written.sha256})", highlight=False)
