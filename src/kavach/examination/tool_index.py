"""The index that finds tool rules in displayed paths, one dictionary look-up a name.

A scan lists millions of paths and almost none name a tool, so ``match`` first asks
C-level set questions of the whole path (is any name a known key? does ".apk" occur
at all?) and only walks the names of the rare path that passes. No rule's pattern is
tried on a path unless one of its literal names is in it.

Paths are Kavach's display form (``PathSpec.display()``): ``!/`` joins an archive
member and counts as ``/``; ``disk.E01#p2:`` stays one harmless name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import translate

from kavach.examination.model import Platform, ToolFinding, ToolRule, Trace
from kavach.examination.rule_file import extension_of

# Parents under which a folder named for a package is that app's data.
_DATA_PARENTS = frozenset({"data", "obb", "media"})  # /data/data, Android/data, ...
_USER_PARENTS = frozenset({"user", "user_de"})  # /data/user/0/<pkg>
# Parents of an installed package's folder: /data/app/<pkg>-<suffix>.
_INSTALL_PARENTS = frozenset({"app", "app-private", "app-lib", "app-asec", "asec"})
_IOS_DOMAINS = ("AppDomain-", "AppDomainGroup-group.")
_IOS_PLUGIN = "AppDomainPlugin-"
_HEX = frozenset("0123456789abcdef")
# Prefetch keeps at most 29 characters of a program's name in its file name.
_PREFETCH_NAME = 29


@dataclass(frozen=True, slots=True)
class _Glob:
    """A path_glob as names to compare, found by the name at ``anchor``."""

    rule: ToolRule
    pattern: str
    names: tuple[str | re.Pattern[str], ...]  # a literal, or a name pattern
    anchor: int
    folded: bool  # compared lowercased (Windows)

    @classmethod
    def compile(cls, rule: ToolRule, pattern: str) -> tuple[_Glob, str, bool]:
        """The glob, the key it is filed under, and whether that key is an extension."""
        folded = rule.platform is Platform.WINDOWS
        text = pattern.lower() if folded else pattern
        names = text.split("/")
        compiled = tuple(
            re.compile(translate(n)) if set(n) & {"*", "?"} else n for n in names
        )
        literals = [i for i, n in enumerate(compiled) if isinstance(n, str)]
        if literals:
            anchor = max(literals, key=lambda i: (len(names[i]), i))
            glob = cls(rule, pattern, compiled, anchor, folded)
            return glob, names[anchor].lower(), False
        found = extension_of(pattern)
        assert found is not None  # rule_file refuses a glob without either
        anchor, extension = found
        return cls(rule, pattern, compiled, anchor, folded), extension, True

    def run_at(self, parts: list[str], folded: list[str], index: int) -> int | None:
        """The end of the run of names matching this glob with the anchor at
        ``index``, or None."""
        start = index - self.anchor
        end = start + len(self.names)
        if start < 0 or end > len(parts):
            return None
        names = folded if self.folded else parts
        for offset, want in enumerate(self.names):
            have = names[start + offset]
            if isinstance(want, str):
                if have != want:
                    return None
            elif not want.fullmatch(have):
                return None
        return end


class ToolIndex:
    """Rules filed by the names they match; built once, asked once per path."""

    def __init__(self, rules: Iterable[ToolRule]) -> None:
        self._packages: dict[str, list[ToolRule]] = {}
        self._programs: dict[str, list[tuple[ToolRule, str]]] = {}
        self._prefetched: dict[str, list[tuple[ToolRule, str]]] = {}
        self._domains: dict[str, list[tuple[ToolRule, str]]] = {}
        self._bundles: dict[str, list[ToolRule]] = {}
        self._anchors: dict[str, list[_Glob]] = {}
        self._extensions: dict[str, list[_Glob]] = {}
        for rule in rules:
            self._file(rule)
        self._exact = frozenset(self._packages) | frozenset(self._domains)
        self._folded = frozenset(self._programs) | frozenset(self._anchors)

    def _file(self, rule: ToolRule) -> None:
        for package in rule.android_packages:
            self._packages.setdefault(package, []).append(rule)
        for program in rule.windows_programs:
            self._programs.setdefault(program.lower(), []).append((rule, program))
            cut = program.lower()[:_PREFETCH_NAME]
            self._prefetched.setdefault(cut, []).append((rule, program))
        for bundle in rule.ios_bundles:
            self._bundles.setdefault(bundle, []).append(rule)
            for prefix in _IOS_DOMAINS:
                self._domains.setdefault(prefix + bundle, []).append((rule, bundle))
        for pattern in rule.path_globs:
            glob, key, is_extension = _Glob.compile(rule, pattern)
            table = self._extensions if is_extension else self._anchors
            table.setdefault(key, []).append(glob)

    def match(self, path: str) -> list[ToolFinding]:
        """Every rule that ``path`` shows a trace of, one finding per trace."""
        lower = path.lower()
        at = _Path(
            path,
            path.replace("!/", "/").split("/"),
            lower.replace("!/", "/").split("/"),
        )
        if not self._exact.isdisjoint(at.parts):
            self._exact_names(at)
        if not self._folded.isdisjoint(at.folded):
            self._folded_names(at)
        if not _INSTALL_PARENTS.isdisjoint(at.parts) or "~~" in path:
            self._installed(at)
        if ".apk" in lower:
            self._apk_files(at)
        if "prefetch" in at.folded:
            self._prefetch(at)
        if _IOS_PLUGIN in path:
            self._plugins(at)
        for extension, globs in self._extensions.items():
            if extension in lower:
                self._by_extension(at, extension, globs)
        return at.unique()

    def _exact_names(self, at: _Path) -> None:
        """App data folders of a package, and iOS backup domains of a bundle."""
        for index, name in enumerate(at.parts):
            for rule in self._packages.get(name, ()):
                if _is_data_folder(at.parts, index):
                    at.add(rule, index + 1, Trace.APP_DATA, name)
            for rule, bundle in self._domains.get(name, ()):
                at.add(rule, index + 1, Trace.IOS_APP, bundle)

    def _folded_names(self, at: _Path) -> None:
        """Windows programs by file name, and globs by their literal name."""
        for index, name in enumerate(at.folded):
            for rule, program in self._programs.get(name, ()):
                at.add(rule, index + 1, Trace.PROGRAM, program)
            for glob in self._anchors.get(name, ()):
                at.add_glob(glob, index)

    def _installed(self, at: _Path) -> None:
        """``/data/app/<pkg>-<suffix>`` and ``/data/app/~~<r>==/<pkg>-<r>==``."""
        for index in range(1, len(at.parts)):
            name = at.parts[index]
            if "-" not in name or not _is_install_folder(at.parts, index):
                continue
            package = name.partition("-")[0]
            for rule in self._packages.get(package, ()):
                at.add(rule, index + 1, Trace.APK, package)

    def _apk_files(self, at: _Path) -> None:
        """``<pkg>.apk`` anywhere, and the old ``<pkg>-1.apk`` of /data/app."""
        for index, name in enumerate(at.folded):
            if not name.endswith(".apk"):
                continue
            stem = at.parts[index][:-4]
            if stem not in self._packages and "-" in stem:
                base, _, number = stem.rpartition("-")
                stem = base if number.isdigit() else stem
            for rule in self._packages.get(stem, ()):
                at.add(rule, index + 1, Trace.APK, stem)

    def _prefetch(self, at: _Path) -> None:
        """``Prefetch/<EXE NAME>-<8 hex>.pf``: Windows ran the program."""
        for index in range(1, len(at.folded)):
            name = at.folded[index]
            if at.folded[index - 1] != "prefetch" or not name.endswith(".pf"):
                continue
            program, dash, digest = name[:-3].rpartition("-")
            if not dash or len(digest) != 8 or not _HEX.issuperset(digest):
                continue
            for rule, spelled in self._prefetched.get(program, ()):
                at.add(rule, index + 1, Trace.PREFETCH, spelled)

    def _plugins(self, at: _Path) -> None:
        """``AppDomainPlugin-<bundle>.<extension>``: an app extension's domain."""
        for index, name in enumerate(at.parts):
            if not name.startswith(_IOS_PLUGIN):
                continue
            rest = name[len(_IOS_PLUGIN) :]
            while "." in rest:
                rest = rest.rpartition(".")[0]
                for rule in self._bundles.get(rest, ()):
                    at.add(rule, index + 1, Trace.IOS_APP, rest)

    def _by_extension(self, at: _Path, extension: str, globs: list[_Glob]) -> None:
        for index, name in enumerate(at.folded):
            if name.endswith(extension):
                for glob in globs:
                    at.add_glob(glob, index)


@dataclass(slots=True)
class _Path:
    """One path being matched: its names as written and lowercased, and findings."""

    text: str
    parts: list[str]
    folded: list[str]
    found: list[ToolFinding] = field(default_factory=list)

    def add(self, rule: ToolRule, names: int, trace: Trace, matched: str) -> None:
        """A finding whose path is this one cut after its first ``names`` names."""
        cut = "/".join(self.text.split("/")[:names]).removesuffix("!")
        self.found.append(ToolFinding(rule, cut, trace, matched))

    def add_glob(self, glob: _Glob, index: int) -> None:
        end = glob.run_at(self.parts, self.folded, index)
        if end is not None:
            self.add(glob.rule, end, Trace.PATH, glob.pattern)

    def unique(self) -> list[ToolFinding]:
        if len(self.found) < 2:
            return self.found
        seen: dict[tuple[str, Trace, str], ToolFinding] = {}
        for finding in self.found:
            seen.setdefault((finding.rule.id, finding.trace, finding.path), finding)
        return list(seen.values())


def _is_data_folder(parts: list[str], index: int) -> bool:
    parent = parts[index - 1] if index >= 1 else ""
    if parent in _DATA_PARENTS:
        return True
    return parent.isdigit() and index >= 2 and parts[index - 2] in _USER_PARENTS


def _is_install_folder(parts: list[str], index: int) -> bool:
    parent = parts[index - 1]
    if parent in _INSTALL_PARENTS:
        return True
    return parent.startswith("~~") and index >= 2 and parts[index - 2] == "app"
