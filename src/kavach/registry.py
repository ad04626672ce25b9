"""A registry of file formats that recognise themselves from their first bytes.

Hash-list formats and tip formats share it: register refuses a name twice, ``get``
names the known ones, ``detect`` picks the surest format for a file (0 = not mine).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Generic, Protocol, TypeVar

from kavach.errors import InputError, UnknownFormatError

SNIFF_BYTES = 64 * 1024


class Sniffing(Protocol):
    @property
    def name(self) -> str: ...

    def sniff(self, head: bytes, path: Path) -> int: ...


F = TypeVar("F", bound=Sniffing)


class SniffRegistry(Generic[F]):
    """Formats by name. Subclasses say what they hold, for the messages."""

    noun: ClassVar[str] = "format"  # "hash-list format", "tip format"
    unknown_noun: ClassVar[str] = "format"  # as ``get`` says it

    def __init__(self) -> None:
        self._formats: dict[str, F] = {}

    def register(self, fmt: F) -> None:
        if fmt.name in self._formats:
            raise ValueError(f"{self.noun} {fmt.name!r} registered twice")
        self._formats[fmt.name] = fmt

    def names(self) -> list[str]:
        return sorted(self._formats)

    def all(self) -> list[F]:
        return [self._formats[name] for name in self.names()]

    def get(self, name: str) -> F:
        try:
            return self._formats[name]
        except KeyError:
            known = ", ".join(self.names())
            raise InputError(
                f"unknown {self.unknown_noun} {name!r} (known: auto, {known})"
            ) from None

    def recognises(self, path: Path) -> bool:
        """Whether some format claims ``path`` (a folder's other files are skipped)."""
        try:
            self.detect(path)
        except UnknownFormatError:
            return False
        return True

    def detect(self, path: Path) -> F:
        head = b""
        if path.is_file():
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
        scored = [(fmt.sniff(head, path), fmt.name) for fmt in self.all()]
        best_score, best_name = max(scored, default=(0, ""))
        if best_score <= 0:
            raise UnknownFormatError(
                f"{path}: not a {self.noun} Kavach reads; give --format "
                f"({', '.join(self.names())})"
            )
        return self._formats[best_name]
