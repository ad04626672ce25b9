"""The packaged rules file loads whole, and bad rules files are refused by name."""

from __future__ import annotations

import pytest

from kavach.errors import FormatError
from kavach.examination.tool_rules import (
    Platform,
    ToolCategory,
    ToolRule,
    ToolRules,
    Trace,
)

GOOD = """
version = 1

[[rule]]
id = "android.example-tool"
name = "Example tool"
category = "tor"
platform = "android"
android_packages = ["org.example.tool"]
"""


def _rule(**fields: str) -> str:
    """A one-rule file whose rule has ``fields`` instead of the good ones."""
    base = {
        "id": '"android.example-tool"',
        "name": '"Example tool"',
        "category": '"tor"',
        "platform": '"android"',
        "android_packages": '["org.example.tool"]',
    }
    base.update(fields)
    body = "\n".join(f"{key} = {value}" for key, value in base.items() if value)
    return f"version = 1\n\n[[rule]]\n{body}\n"


def _refused(text: str) -> FormatError:
    with pytest.raises(FormatError) as caught:
        ToolRules.from_toml(text, "unit_rules.toml")
    assert str(caught.value).startswith("unit_rules.toml")
    return caught.value


@pytest.fixture(scope="module")
def packaged() -> ToolRules:
    return ToolRules.packaged()


def test_the_packaged_rules_load_with_a_valid_category_and_a_matcher(
    packaged: ToolRules,
) -> None:
    assert 40 <= len(packaged) <= 100
    for rule in packaged:
        assert isinstance(rule.category, ToolCategory), rule.id
        assert isinstance(rule.platform, Platform), rule.id
        assert rule.matchers(), rule.id
        assert rule.id.startswith(f"{rule.platform}."), rule.id
        assert rule.source == "tool_rules.toml (2026-12-02)"
    assert {rule.category for rule in packaged} == set(ToolCategory)


def test_the_packaged_rules_name_their_sources_and_licences() -> None:
    from importlib import resources

    text = resources.files("kavach.examination").joinpath("data", "tool_rules.toml")
    header = text.read_text(encoding="utf-8").split("version = 1")[0]
    assert "AssoEchap/stalkerware-indicators" in header and "CC BY 4.0" in header
    assert "CleanerScope/Mobile-Anti-Forensics-2026" in header and "MIT" in header


def _examples(rule: ToolRule) -> list[tuple[str, Trace]]:
    """Paths each matcher of ``rule`` must be found in (its own examples)."""
    paths = [(f"phone.zip!/data/data/{p}/shared_prefs/a.xml", Trace.APP_DATA)
             for p in rule.android_packages]  # fmt: skip
    for program in rule.windows_programs:
        paths.append((f"disk.E01#p2:/Tools/{program}", Trace.PROGRAM))
        name = program.upper()[:29]  # Prefetch keeps 29 characters of a name
        prefetch = f"disk.E01#p2:/Windows/Prefetch/{name}-0A1B2C3D.pf"
        paths.append((prefetch, Trace.PREFETCH))
    for bundle in rule.ios_bundles:
        paths.append((f"backup/AppDomain-{bundle}/Documents/a", Trace.IOS_APP))
    for glob in rule.path_globs:
        example = glob.replace("*", "x").replace("?", "x")
        paths.append((f"disk.E01#p2:/{example}/inside", Trace.PATH))
    return paths


def test_every_packaged_rule_is_found_by_each_of_its_matchers(
    packaged: ToolRules,
) -> None:
    for rule in packaged:
        for path, trace in _examples(rule):
            found = {(f.rule.id, f.trace) for f in packaged.match(path)}
            assert (rule.id, trace) in found, path


def test_a_good_unit_file_loads_and_merges_with_the_packaged_rules(
    packaged: ToolRules,
) -> None:
    unit = ToolRules.from_toml(GOOD, "unit_rules.toml")
    both = packaged.merged(unit)
    assert len(both) == len(packaged) + 1
    assert both.sources == ("tool_rules.toml (2026-12-02)", "unit_rules.toml")
    [finding] = both.match("phone.zip!/data/data/org.example.tool/files/a")
    assert finding.rule.source == "unit_rules.toml"


def test_merging_refuses_an_id_already_used(packaged: ToolRules) -> None:
    clash = GOOD.replace("android.example-tool", "android.tor-browser")
    with pytest.raises(FormatError, match=r"android\.tor-browser.*already used by"):
        packaged.merged(ToolRules.from_toml(clash, "unit_rules.toml"))


def test_a_duplicate_id_is_refused_naming_both_rules() -> None:
    text = GOOD + GOOD.split("version = 1")[1].replace("org.example.tool", "org.x.y")
    error = _refused(text)
    assert error.where == 'rule[2] "android.example-tool".id'
    assert "duplicate id (also rule[1])" in error.reason


def test_an_unknown_category_is_refused_naming_the_field_and_the_known_ones() -> None:
    error = _refused(_rule(category='"malware"'))
    assert error.where == 'rule[1] "android.example-tool".category'
    assert "unknown category 'malware'" in error.reason
    assert "secure-delete" in error.reason and "stalkerware" in error.reason


@pytest.mark.parametrize(
    ("fields", "where", "reason"),
    [
        ({"platform": '"symbian"'}, ".platform", "unknown platform 'symbian'"),
        ({"name": '""'}, ".name", "must be a non-empty string"),
        ({"id": '"windows.example-tool"'}, ".id", "must be android.<name>"),
        ({"id": '"android.Example"'}, ".id", "must be android.<name>"),
        ({"android_packages": '["tool"]'}, ".android_packages", "not a valid name"),
        ({"android_packages": '"org.x.y"'}, ".android_packages", "list of strings"),
        ({"android_packages": '["a.b", "a.b"]'}, ".android_packages", "twice"),
        ({"android_packages": ""}, "", "needs at least one of"),
        (
            {"windows_programs": '["x.exe"]'},
            ".windows_programs",
            "only rules of platform windows",
        ),
        ({"ios_bundles": '["com.x.y"]'}, ".ios_bundles", "platform ios may"),
        ({"path_globs": '["*/*"]'}, ".path_globs", "needs one name without"),
        ({"path_globs": '["a/**/b"]'}, ".path_globs", "'**' is not supported"),
        ({"path_globs": '["/data/x"]'}, ".path_globs", "single '/'"),
        ({"path_globs": '["[ab]x"]'}, ".path_globs", "'['"),
        ({"colour": '"red"'}, ".colour", "unknown key"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_rule_and_field(
    fields: dict[str, str], where: str, reason: str
) -> None:
    error = _refused(_rule(**fields))
    rule_id = fields.get("id", '"android.example-tool"').strip('"')
    assert error.where == f'rule[1] "{rule_id}"{where}'
    assert reason in error.reason


def test_a_windows_program_must_be_a_bare_file_name() -> None:
    text = _rule(
        id='"windows.x"',
        platform='"windows"',
        android_packages="",
        windows_programs='["C:/Tools/x.exe"]',
    )
    error = _refused(text)
    assert error.where == 'rule[1] "windows.x".windows_programs'


def test_a_name_claimed_by_two_rules_is_refused() -> None:
    second = GOOD.split("version = 1")[1].replace("example-tool", "other-tool")
    error = _refused(GOOD + second)
    assert error.where == 'rule[2] "android.other-tool".android_packages'
    assert "also listed by android.example-tool" in error.reason


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ("version = [", None, "not TOML"),
        (GOOD.replace("version = 1", "version = 2"), "version", "must be 1"),
        (GOOD.replace("version = 1", ""), "version", "must be 1"),
        (GOOD + "\nextra = 1\n", 'rule[1] "android.example-tool".extra', "unknown"),
        ("version = 1\nrule = 3\n", "rule", "array of tables"),
        ("version = 1\nrevision = 3\n", "revision", "non-empty string"),
        ("version = 1\ncolour = 3\n", "colour", "unknown key"),
    ],
)
def test_a_bad_file_is_refused_naming_the_key(
    text: str, where: str | None, reason: str
) -> None:
    error = _refused(text)
    assert error.where == where
    assert reason in error.reason


def test_an_empty_unit_file_is_no_rules() -> None:
    rules = ToolRules.from_toml('version = 1\nrevision = "r7"\n', "unit_rules.toml")
    assert len(rules) == 0 and rules.sources == ("unit_rules.toml (r7)",)
    assert rules.match("phone.zip!/data/data/org.torproject.torbrowser/x") == []
