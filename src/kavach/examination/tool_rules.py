"""Tool rules: which software a seized device held, found from the paths it lists.

The packaged ``data/tool_rules.toml`` names well-known public tools (wipers, Tor,
stalkerware, remote access, steganography, encrypted volumes); a unit adds its own
file with ``ToolRules.from_toml`` and ``merged``. Matching reads names in paths only,
never a file's content.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

from kavach.errors import FormatError
from kavach.examination.model import (
    CLEANING_CATEGORIES,
    Platform,
    ToolCategory,
    ToolFinding,
    ToolRule,
    Trace,
)
from kavach.examination.rule_file import read_rules
from kavach.examination.tool_index import ToolIndex

__all__ = [
    "CLEANING_CATEGORIES",
    "PACKAGED",
    "Platform",
    "ToolCategory",
    "ToolFinding",
    "ToolRule",
    "ToolRules",
    "Trace",
]

PACKAGED = "tool_rules.toml"


class ToolRules:
    """A checked set of rules (ids unique) and the index that matches them."""

    def __init__(self, rules: Iterable[ToolRule], sources: Iterable[str] = ()) -> None:
        self.rules = tuple(rules)
        self.sources = tuple(sources)
        self._by_id = {rule.id: rule for rule in self.rules}
        if len(self._by_id) != len(self.rules):
            raise ValueError("tool rules with one id twice")
        self._index = ToolIndex(self.rules)
        self._products = _product_names(self.rules)

    @classmethod
    def packaged(cls) -> ToolRules:
        """The rules shipped with Kavach (``examination/data/tool_rules.toml``),
        read once a process: every report and NSRL import asks for them."""
        return _packaged()

    @classmethod
    def from_toml(cls, text: str, source: str) -> ToolRules:
        """Rules from a rules file's text; ``source`` names it in every complaint."""
        rules, label = read_rules(text, source)
        return cls(rules, (label,))

    def merged(self, other: ToolRules) -> ToolRules:
        """These rules and ``other``'s; an id both use is refused, not overridden."""
        for rule in other.rules:
            mine = self._by_id.get(rule.id)
            if mine is not None:
                raise FormatError(
                    rule.source or "rules",
                    f'rule "{rule.id}".id',
                    f"id already used by {mine.source or 'another rules file'}",
                )
        return ToolRules((*self.rules, *other.rules), (*self.sources, *other.sources))

    def get(self, rule_id: str) -> ToolRule | None:
        return self._by_id.get(rule_id)

    def __iter__(self) -> Iterator[ToolRule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def product(self, name: str | None) -> ToolRule | None:
        """The rule naming a software product (an NSRL package name such as
        "VeraCrypt" or "CCleaner"): by the rule's name or a Windows program's."""
        return self._products.get(_folded(name)) if name else None

    def match(self, path: str) -> list[ToolFinding]:
        """The findings in one displayed path (``PathSpec.display()`` form)."""
        return self._index.match(path)

    def match_all(self, paths: Iterable[str]) -> list[ToolFinding]:
        """Findings over many paths, one per (rule, trace, path), in first-seen order.

        Files below one app folder cut to the same path, so they are one finding.
        """
        seen: dict[tuple[str, Trace, str], ToolFinding] = {}
        match = self._index.match
        for path in paths:
            for finding in match(path):
                seen.setdefault((finding.rule.id, finding.trace, finding.path), finding)
        return list(seen.values())


def _folded(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())


def _product_names(rules: Iterable[ToolRule]) -> dict[str, ToolRule]:
    """Folded product names: "Tor Browser" and "torbrowser" alike; a program name
    counts without its extension ("VeraCrypt.exe" names the product VeraCrypt)."""
    names: dict[str, ToolRule] = {}
    for rule in rules:
        for name in (rule.name, *(p.rsplit(".", 1)[0] for p in rule.windows_programs)):
            if folded := _folded(name):
                names.setdefault(folded, rule)
    return names


@cache
def _packaged() -> ToolRules:
    data = resources.files("kavach.examination").joinpath("data", PACKAGED)
    return ToolRules.from_toml(data.read_text(encoding="utf-8"), PACKAGED)
