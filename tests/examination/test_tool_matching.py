"""Each path shape a tool leaves is found, and near misses are not."""

from __future__ import annotations

import pytest

from kavach.examination.tool_rules import ToolRules, Trace

TOR = "org.torproject.torbrowser"


@pytest.fixture(scope="module")
def rules() -> ToolRules:
    return ToolRules.packaged()


def _found(rules: ToolRules, path: str) -> set[tuple[str, Trace, str, str]]:
    return {(f.rule.id, f.trace, f.path, f.matched) for f in rules.match(path)}


@pytest.mark.parametrize(
    ("path", "cut", "trace"),
    [
        (f"/data/data/{TOR}/files/x", f"/data/data/{TOR}", Trace.APP_DATA),
        (f"data/user/0/{TOR}/cache/a", f"data/user/0/{TOR}", Trace.APP_DATA),
        (f"data/user/10/{TOR}/cache/a", f"data/user/10/{TOR}", Trace.APP_DATA),
        (f"data/user_de/0/{TOR}/", f"data/user_de/0/{TOR}", Trace.APP_DATA),
        (f"sdcard/Android/data/{TOR}/a", f"sdcard/Android/data/{TOR}", Trace.APP_DATA),
        (
            f"storage/emulated/0/Android/data/{TOR}/files/a",
            f"storage/emulated/0/Android/data/{TOR}",
            Trace.APP_DATA,
        ),
        (
            f"data/media/0/Android/data/{TOR}/a",
            f"data/media/0/Android/data/{TOR}",
            Trace.APP_DATA,
        ),
        (f"/data/app/{TOR}-1/base.apk", f"/data/app/{TOR}-1", Trace.APK),
        (
            f"/data/app/~~Qz1x_Yw==/{TOR}-8kP2aA==/base.apk",
            f"/data/app/~~Qz1x_Yw==/{TOR}-8kP2aA==",
            Trace.APK,
        ),
        (
            f"/data/app/~~Qz1x_Yw==/{TOR}-8kP2aA==/lib/arm64/libtor.so",
            f"/data/app/~~Qz1x_Yw==/{TOR}-8kP2aA==",
            Trace.APK,
        ),
        (f"sdcard/Download/{TOR}.apk", f"sdcard/Download/{TOR}.apk", Trace.APK),
        (f"/data/app/{TOR}-2.apk", f"/data/app/{TOR}-2.apk", Trace.APK),
        # Inside an extraction zip, and an apk opened as an archive.
        (
            f"phone.zip!/data/data/{TOR}/databases/x.db",
            f"phone.zip!/data/data/{TOR}",
            Trace.APP_DATA,
        ),
        (
            f"case/phone.ufdr!/data/app/{TOR}-x/base.apk!/classes.dex",
            f"case/phone.ufdr!/data/app/{TOR}-x",
            Trace.APK,
        ),
        (
            f"Download/{TOR}.apk!/AndroidManifest.xml",
            f"Download/{TOR}.apk",
            Trace.APK,
        ),
        # An Android image inside a disk image.
        (
            f"phone.img#p12:/data/{TOR}/files/x",
            f"phone.img#p12:/data/{TOR}",
            Trace.APP_DATA,
        ),
    ],
)
def test_android_traces(rules: ToolRules, path: str, cut: str, trace: Trace) -> None:
    assert _found(rules, path) == {("android.tor-browser", trace, cut, TOR)}


@pytest.mark.parametrize(
    ("path", "cut"),
    [
        (
            "AppDomain-com.miketigas.OnionBrowser/Documents/bookmarks.plist",
            "AppDomain-com.miketigas.OnionBrowser",
        ),
        (
            "backup/AppDomainGroup-group.com.miketigas.OnionBrowser/Library/x",
            "backup/AppDomainGroup-group.com.miketigas.OnionBrowser",
        ),
        (
            "iphone.zip!/AppDomainPlugin-com.miketigas.OnionBrowser.Share/Library/x",
            "iphone.zip!/AppDomainPlugin-com.miketigas.OnionBrowser.Share",
        ),
    ],
)
def test_ios_backup_domains(rules: ToolRules, path: str, cut: str) -> None:
    found = _found(rules, path)
    assert found == {
        ("ios.onion-browser", Trace.IOS_APP, cut, "com.miketigas.OnionBrowser")
    }


def test_a_windows_program_anywhere_and_in_any_case(rules: ToolRules) -> None:
    for name in ("sdelete64.exe", "SDelete64.exe", "SDELETE64.EXE"):
        path = f"disk.E01#p2:/Users/a/Downloads/SDelete/{name}"
        assert _found(rules, path) == {
            ("windows.sdelete", Trace.PROGRAM, path, "sdelete64.exe")
        }
    nested = "usb.E01#p1:/tools.zip!/AnyDesk.exe"
    assert _found(rules, nested) == {
        ("windows.anydesk", Trace.PROGRAM, nested, "AnyDesk.exe")
    }


def test_a_prefetch_file_is_an_execution_trace(rules: ToolRules) -> None:
    path = "disk.E01#p2:/Windows/Prefetch/VERACRYPT.EXE-5AE1F0C2.pf"
    assert _found(rules, path) == {
        ("windows.veracrypt", Trace.PREFETCH, path, "VeraCrypt.exe")
    }
    spaced = "disk.E01#p2:/Windows/Prefetch/VERACRYPT FORMAT.EXE-00AA11BB.pf"
    assert [f.matched for f in rules.match(spaced)] == ["VeraCrypt Format.exe"]
    # Prefetch cuts a name after 29 characters: SCREENCONNECT.CLIENTSERVICE.E
    cut = "disk.E01#p2:/Windows/Prefetch/SCREENCONNECT.CLIENTSERVICE.E-0F0F0F0F.pf"
    assert [f.matched for f in rules.match(cut)] == ["ScreenConnect.ClientService.exe"]


@pytest.mark.parametrize(
    "path",
    [
        "disk.E01#p2:/Windows/Prefetch/VERACRYPT.EXE-5AE1F0.pf",  # 6 hex, not 8
        "disk.E01#p2:/Windows/Prefetch/VERACRYPT.EXE-5AE1F0XY.pf",  # not hex
        "disk.E01#p2:/Users/a/VERACRYPT.EXE-5AE1F0C2.pf",  # not under Prefetch
        "disk.E01#p2:/Windows/Prefetch/NOTEPAD.EXE-5AE1F0C2.pf",
    ],
)
def test_prefetch_near_misses(rules: ToolRules, path: str) -> None:
    assert rules.match(path) == []


def test_path_globs(rules: ToolRules) -> None:
    browser = "disk.E01#p2:/Users/a/Desktop/Tor Browser/Browser/firefox.exe"
    assert _found(rules, browser) == {
        ("windows.tor-browser", Trace.PATH, browser, "Tor Browser/Browser/firefox.exe")
    }
    shredder = "disk.E01#p2:/Program Files (x86)/File Shredder/Shredder.exe"
    [finding] = rules.match(shredder)
    assert finding.path == "disk.E01#p2:/Program Files (x86)/File Shredder"
    iso = "disk.E01#p2:/Users/a/Downloads/DBAN-2.3.0_i586.ISO"
    assert [f.rule.id for f in rules.match(iso)] == ["windows.dban"]
    linux = "laptop.dd#p2:/usr/bin/steghide"
    assert [f.rule.id for f in rules.match(linux)] == ["linux.steghide"]
    mac = "mac.dmg#p1:/Applications/Tor Browser.app/Contents/MacOS/firefox"
    [finding] = rules.match(mac)
    assert finding.path == "mac.dmg#p1:/Applications/Tor Browser.app"


@pytest.mark.parametrize(
    "path",
    [
        f"/data/data/{TOR}.fake/files/x",
        f"/data/data/fake.{TOR}/files/x",
        f"/data/app/{TOR}.fake-1/base.apk",
        f"sdcard/Download/{TOR}.fake.apk",
        f"sdcard/Download/{TOR}-beta.apk",
        f"sdcard/Documents/{TOR}.txt",
        f"/data/system/{TOR}/x",  # not a data folder's parent
        "disk.E01#p2:/Users/a/Downloads/notsdelete.exe",
        "disk.E01#p2:/Users/a/Downloads/sdelete.exe.txt",
        "disk.E01#p2:/Users/a/Documents/tor.txt",
        "disk.E01#p2:/Users/a/Documents/tor",
        "disk.E01#p2:/Users/a/Documents/Tor Browser.docx",
        "disk.E01#p2:/Users/a/Tor Browser/notes/firefox.exe",
        "AppDomain-com.miketigas.OnionBrowserX/Documents/a",
        "AppDomainPlugin-com.miketigas/Library/a",
        "laptop.dd#p2:/home/a/Music/srm",  # a bin folder is part of the glob
        "disk.E01#p2:/Users/a/Downloads/dban.iso",
        "laptop.dd#p2:/home/a/notes/usr-bin-tor",
    ],
)
def test_near_misses_do_not_match(rules: ToolRules, path: str) -> None:
    assert rules.match(path) == []


def test_only_windows_names_fold_case(rules: ToolRules) -> None:
    assert rules.match(f"/data/data/{TOR.upper()}/files/x") == []
    assert rules.match("AppDomain-com.miketigas.onionbrowser/Documents/x") == []
    assert rules.match("laptop.dd#p2:/usr/bin/Steghide") == []
    assert rules.match("mac.dmg#p1:/Applications/tor browser.app/x") == []
    assert [f.rule.id for f in rules.match("c/TOR.EXE")] == ["windows.tor-browser"]
    lower = "disk.E01#p2:/users/a/desktop/tor browser/browser/FIREFOX.EXE"
    assert [f.rule.id for f in rules.match(lower)] == ["windows.tor-browser"]


def test_one_path_can_show_two_traces(rules: ToolRules) -> None:
    path = "phone.zip!/sdcard/Download/com.anydesk.anydeskandroid.apk!/x/tor.exe"
    assert {f.rule.id for f in rules.match(path)} == {
        "android.anydesk",
        "windows.tor-browser",
    }


def test_match_all_keeps_one_finding_per_rule_trace_and_path(
    rules: ToolRules,
) -> None:
    paths = [
        f"phone.zip!/data/data/{TOR}/files/a",
        f"phone.zip!/data/data/{TOR}/files/b",
        f"phone.zip!/data/data/{TOR}/cache/c",
        f"phone.zip!/data/user/0/{TOR}/files/a",
        f"phone.zip!/data/app/{TOR}-1/base.apk",
        f"phone.zip!/data/app/{TOR}-1/oat/arm64/base.odex",
        "phone.zip!/sdcard/DCIM/Camera/IMG_0001.jpg",
    ]
    found = [(f.trace, f.path) for f in rules.match_all(paths)]
    assert found == [
        (Trace.APP_DATA, f"phone.zip!/data/data/{TOR}"),
        (Trace.APP_DATA, f"phone.zip!/data/user/0/{TOR}"),
        (Trace.APK, f"phone.zip!/data/app/{TOR}-1"),
    ]
