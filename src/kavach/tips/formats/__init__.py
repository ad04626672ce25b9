"""Tip formats: one module each, in a registry that refuses duplicates."""

from __future__ import annotations

from pathlib import Path

from kavach.errors import InputError, UnknownFormatError
from kavach.tips.formats.interface import TipFormat, TipParseContext, load_columns

SNIFF_BYTES = 64 * 1024


class TipFormatRegistry:
    """Tip formats by name; ``detect`` picks the surest one for a file."""

    def __init__(self) -> None:
        self._formats: dict[str, TipFormat] = {}

    def register(self, fmt: TipFormat) -> None:
        if fmt.name in self._formats:
            raise ValueError(f"tip format {fmt.name!r} registered twice")
        self._formats[fmt.name] = fmt

    def names(self) -> list[str]:
        return sorted(self._formats)

    def all(self) -> list[TipFormat]:
        return [self._formats[name] for name in self.names()]

    def get(self, name: str) -> TipFormat:
        try:
            return self._formats[name]
        except KeyError:
            known = ", ".join(self.names())
            raise InputError(
                f"unknown tip format {name!r} (known: auto, {known})"
            ) from None

    def recognises(self, path: Path) -> bool:
        """Whether some format claims ``path`` (a folder's other files are skipped)."""
        try:
            self.detect(path)
        except UnknownFormatError:
            return False
        return True

    def detect(self, path: Path) -> TipFormat:
        head = b""
        if path.is_file():
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
        scored = [(fmt.sniff(head, path), fmt.name) for fmt in self.all()]
        best_score, best_name = max(scored, default=(0, ""))
        if best_score <= 0:
            raise UnknownFormatError(
                f"{path}: not a tip format Kavach reads; give --format "
                f"({', '.join(self.names())})"
            )
        return self._formats[best_name]


def default_tip_formats() -> TipFormatRegistry:
    """Every tip format Kavach ships."""
    from kavach.tips.formats import cybertip_xml, ncmec_json, sheet

    registry = TipFormatRegistry()
    for fmt in (
        ncmec_json.NcmecJsonFormat(),
        cybertip_xml.CybertipXmlFormat(),
        sheet.NcrbSheetFormat(),
    ):
        registry.register(fmt)
    return registry


__all__ = [
    "TipFormat",
    "TipFormatRegistry",
    "TipParseContext",
    "default_tip_formats",
    "load_columns",
]
