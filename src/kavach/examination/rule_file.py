"""The tool rules file: TOML read into rules, every complaint naming the key at fault.

A unit's own file follows the packaged one's format (``docs/extending/tool-rules.md``),
so the checks here are the contract both obey.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any, TypeVar

from kavach.errors import FormatError
from kavach.examination.model import Platform, ToolCategory, ToolRule

FORMAT_VERSION = 1

RULE_KEYS = frozenset(
    {
        "id", "name", "category", "platform", "android_packages",
        "windows_programs", "ios_bundles", "path_globs", "note",
    }
)  # fmt: skip
_ID = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_PACKAGE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+")
_BUNDLE = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PROGRAM = re.compile(r'[^/\\:*?"<>|]*[^/\\:*?"<>|. ]\.[A-Za-z0-9]+')
_WILDCARDS = frozenset("*?")

E = TypeVar("E", Platform, ToolCategory)

# Which list a rule of each platform may use; path_globs fit every platform.
_ONLY_ON = {
    "android_packages": Platform.ANDROID,
    "windows_programs": Platform.WINDOWS,
    "ios_bundles": Platform.IOS,
}


def read_rules(text: str, source: str) -> tuple[list[ToolRule], str]:
    """The rules of a file and its label, the source and revision that every rule
    carries; ``source`` names the file in every complaint."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(source, None, f"not TOML ({exc})") from exc
    for key in data:
        if key not in ("version", "revision", "rule"):
            raise FormatError(source, key, "unknown key")
    if data.get("version") != FORMAT_VERSION:
        raise FormatError(source, "version", f"must be {FORMAT_VERSION}")
    revision = data.get("revision")
    if revision is not None and (not isinstance(revision, str) or not revision):
        raise FormatError(source, "revision", "must be a non-empty string")
    tables = data.get("rule", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise FormatError(source, "rule", "must be an array of tables [[rule]]")
    label = f"{source} ({revision})" if revision else source
    rules = [_rule(t, source, n, label) for n, t in enumerate(tables, 1)]
    _refuse_duplicates(rules, source)
    return rules, label


def _rule(table: dict[str, Any], source: str, number: int, label: str) -> ToolRule:
    where = f"rule[{number}]"
    rule_id = table.get("id")
    if isinstance(rule_id, str) and rule_id:
        where = f'{where} "{rule_id}"'
    for key in table:
        if key not in RULE_KEYS:
            raise FormatError(source, f"{where}.{key}", "unknown key")
    platform = _choice(table, "platform", Platform, source, where)
    rule = ToolRule(
        id=_rule_id(table, platform, source, where),
        name=_text(table, "name", source, where),
        category=_choice(table, "category", ToolCategory, source, where),
        platform=platform,
        android_packages=_names(table, "android_packages", _PACKAGE, source, where),
        windows_programs=_names(table, "windows_programs", _PROGRAM, source, where),
        ios_bundles=_names(table, "ios_bundles", _BUNDLE, source, where),
        path_globs=_globs(table, source, where),
        note=_note(table, source, where),
        source=label,
    )
    for key, allowed in _ONLY_ON.items():
        if table.get(key) and platform is not allowed:
            reason = f"only rules of platform {allowed} may list {key}"
            raise FormatError(source, f"{where}.{key}", reason)
    if not rule.matchers():
        reason = "needs at least one of " + ", ".join([*_ONLY_ON, "path_globs"])
        raise FormatError(source, where, reason)
    return rule


def _text(table: dict[str, Any], key: str, source: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FormatError(source, f"{where}.{key}", "must be a non-empty string")
    return value.strip()


def _note(table: dict[str, Any], source: str, where: str) -> str | None:
    if "note" not in table:
        return None
    return " ".join(_text(table, "note", source, where).split())


def _choice(
    table: dict[str, Any], key: str, kind: type[E], source: str, where: str
) -> E:
    value = _text(table, key, source, where)
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        reason = f"unknown {key} {value!r} (known: {known})"
        raise FormatError(source, f"{where}.{key}", reason) from None


def _rule_id(table: dict[str, Any], platform: Platform, source: str, where: str) -> str:
    value = _text(table, "id", source, where)
    if not _ID.fullmatch(value) or not value.startswith(f"{platform}."):
        reason = f"must be {platform}.<name> in lowercase letters, digits, - and ."
        raise FormatError(source, f"{where}.id", reason)
    return value


def _strings(table: dict[str, Any], key: str, source: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormatError(source, f"{where}.{key}", "must be a list of strings")
    if len(set(value)) != len(value):
        raise FormatError(source, f"{where}.{key}", "lists a name twice")
    return value


def _names(
    table: dict[str, Any], key: str, shape: re.Pattern[str], source: str, where: str
) -> tuple[str, ...]:
    names = _strings(table, key, source, where)
    for name in names:
        if not shape.fullmatch(name):
            raise FormatError(source, f"{where}.{key}", f"{name!r} is not a valid name")
    return tuple(names)


def _globs(table: dict[str, Any], source: str, where: str) -> tuple[str, ...]:
    globs = _strings(table, "path_globs", source, where)
    for glob in globs:
        reason = glob_problem(glob)
        if reason:
            raise FormatError(source, f"{where}.path_globs", f"{glob!r}: {reason}")
    return tuple(globs)


def glob_problem(glob: str) -> str | None:
    """Why ``glob`` cannot be a path_glob, or None when it can.

    Every glob needs a name without wildcards, or a literal extension, so the index
    can look it up by that name instead of trying every glob on every path.
    """
    names = glob.split("/")
    if "\\" in glob or "[" in glob or any(n in ("", ".", "..") for n in names):
        return "names joined by single '/', without '\\', '[', '.' or '..'"
    if any("**" in n for n in names):
        return "'**' is not supported; a glob matches a run of names anywhere"
    if not any(_WILDCARDS.isdisjoint(n) for n in names) and extension_of(glob) is None:
        return "needs one name without wildcards, or a literal extension (*.iso)"
    return None


def extension_of(glob: str) -> tuple[int, str] | None:
    """The last name of ``glob`` with a literal extension: (its index, ".ext")."""
    names = glob.split("/")
    for index in range(len(names) - 1, -1, -1):
        stem, dot, extension = names[index].rpartition(".")
        if dot and stem and extension and _WILDCARDS.isdisjoint(extension):
            return index, "." + extension.lower()
    return None


def _refuse_duplicates(rules: list[ToolRule], source: str) -> None:
    """One id per rule, and one rule per name: a copied entry would report twice."""
    ids: dict[str, int] = {}
    owners: dict[tuple[str, str], str] = {}
    for number, rule in enumerate(rules, 1):
        where = f'rule[{number}] "{rule.id}"'
        if rule.id in ids:
            reason = f"duplicate id (also rule[{ids[rule.id]}])"
            raise FormatError(source, f"{where}.id", reason)
        ids[rule.id] = number
        for key, name in _keyed(rule):
            other = owners.setdefault((key, name), rule.id)
            if other != rule.id:
                raise FormatError(
                    source, f"{where}.{key}", f"{name!r} is also listed by {other}"
                )


def _keyed(rule: ToolRule) -> list[tuple[str, str]]:
    return [
        *(("android_packages", p) for p in rule.android_packages),
        *(("windows_programs", p.lower()) for p in rule.windows_programs),
        *(("ios_bundles", b) for b in rule.ios_bundles),
        *(("path_globs", g) for g in rule.path_globs),
    ]
