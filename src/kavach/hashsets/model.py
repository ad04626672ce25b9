"""What a hash list holds, independent of the file format it arrived in."""

from __future__ import annotations

from dataclasses import dataclass, field

from kavach.vocabulary import EXACT_ALGORITHMS, HEX_LENGTHS, Algorithm, Role, Status

__all__ = [
    "EXACT_ALGORITHMS",
    "HEX_LENGTHS",
    "Algorithm",
    "Deletion",
    "ImportWarning",
    "ParsedEntry",
    "Role",
    "Status",
]


@dataclass(slots=True)
class ParsedEntry:
    """One record of a list: a file (or video) and the digests known for it.

    Digests are lowercase hex or ``None``. ``where`` names the line or record, so an
    error found later can still point at the input.
    """

    where: str
    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    sha512: str | None = None
    pdq: str | None = None
    pdq_quality: int | None = None
    size: int | None = None
    name: str | None = None
    category: str | None = None
    partner_id: str | None = None
    series: str | None = None
    media_type: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    # A video entry of a vPDQ list: (pdq hex, quality, seconds) a frame.
    frames: list[tuple[str, int, float]] | None = None

    def digests(self) -> dict[Algorithm, str]:
        """The digests this entry carries, by algorithm."""
        found = {
            Algorithm.MD5: self.md5,
            Algorithm.SHA1: self.sha1,
            Algorithm.SHA256: self.sha256,
            Algorithm.SHA512: self.sha512,
            Algorithm.PDQ: self.pdq,
        }
        return {alg: value for alg, value in found.items() if value}


@dataclass(frozen=True, slots=True)
class Deletion:
    """A tombstone: the partner withdrew the entry with this id."""

    where: str
    partner_id: str


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """Something tolerated in a list (the line is kept or skipped, never crashes)."""

    where: str
    message: str
