"""Tip formats: one module each, in a registry that refuses duplicates."""

from __future__ import annotations

from kavach.registry import SniffRegistry
from kavach.tips.formats.interface import TipFormat, TipParseContext, load_columns


class TipFormatRegistry(SniffRegistry[TipFormat]):
    """Tip formats by name; ``detect`` picks the surest one for a file."""

    noun = "tip format"
    unknown_noun = "tip format"


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
