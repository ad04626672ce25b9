"""Hash-list formats: one module each, in a registry that refuses duplicates."""

from __future__ import annotations

from kavach.hashsets.formats.interface import HashsetFormat, ParseContext
from kavach.registry import SniffRegistry


class FormatRegistry(SniffRegistry[HashsetFormat]):
    """Formats by name; ``detect`` picks the surest one for a file."""

    noun = "hash-list format"
    unknown_noun = "format"


def default_registry() -> FormatRegistry:
    """Every format Kavach ships."""
    from kavach.hashsets.formats import (
        csv_columns,
        encase,
        hashdeep,
        hashkeeper,
        icse,
        ncmec,
        nist_caid,
        nsrl_legacy,
        nsrl_rds,
        pdq_list,
        plain,
        vics,
        vpdq_list,
    )

    registry = FormatRegistry()
    for fmt in (
        vics.VicsFormat(),
        icse.IcseCsvFormat(),
        ncmec.NcmecXmlFormat(),
        nsrl_rds.NsrlRdsFormat(),
        nsrl_legacy.NsrlLegacyFormat(),
        hashdeep.HashdeepFormat(),
        plain.PlainSumFormat(),
        encase.EncaseHashFormat(),
        hashkeeper.HashkeeperFormat(),
        pdq_list.PdqListFormat(),
        vpdq_list.VpdqListFormat(),
        nist_caid.NistCaidFormat(),
        csv_columns.CsvColumnsFormat(),
    ):
        registry.register(fmt)
    return registry


__all__ = ["FormatRegistry", "HashsetFormat", "ParseContext", "default_registry"]
