"""The interface every hash-list format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from kavach.hashsets.model import Deletion, ImportWarning, ParsedEntry, Role


@dataclass
class ParseContext:
    """What a format learns about the file while parsing it, and what it tolerated."""

    source: str
    scheme: str | None = None
    version_hint: str | None = None
    title: str | None = None
    # ``--columns``: Kavach's field -> the file's header name (CSV lists only).
    columns: dict[str, str] | None = None
    warnings: list[ImportWarning] = field(default_factory=list)

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(ImportWarning(where, message))


class HashsetFormat(ABC):
    """A file format that carries known hashes.

    ``sniff`` looks at the first bytes and says how sure it is (0 = not mine), so
    ``--format auto`` can pick; ``parse`` streams entries (and, for incremental
    formats, deletions) and raises ``FormatError`` naming the line or record.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    default_role: ClassVar[Role] = Role.ALERT
    default_scheme: ClassVar[str] = "none"
    # An incremental format carries updates to the previous version (with deletions).
    incremental: ClassVar[bool] = False

    @abstractmethod
    def sniff(self, head: bytes, path: Path) -> int:
        """Confidence 0-100 that the file starting with ``head`` is in this format."""

    @abstractmethod
    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        """Entries of the file, streamed."""


def text_head(head: bytes) -> str:
    """The head decoded for sniffing, with a UTF-8 BOM dropped."""
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
