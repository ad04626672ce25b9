"""docs/extending/tool-rules.md and the code agree: every field, category, trace."""

from __future__ import annotations

from pathlib import Path

from kavach.examination.rule_file import RULE_KEYS
from kavach.examination.tool_rules import ToolCategory, Trace

DOC = Path(__file__).resolve().parents[2] / "docs" / "extending" / "tool-rules.md"


def test_the_page_names_every_field_category_and_trace() -> None:
    text = DOC.read_text(encoding="utf-8")
    names = [*RULE_KEYS, *ToolCategory, *Trace]
    missing = [name for name in names if f"`{name}`" not in text]
    assert not missing, f"missing from {DOC.name}: {missing}"
