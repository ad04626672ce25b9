"""match_all over a scan-sized list of ordinary paths finds only the planted tools."""

from __future__ import annotations

import random
import time

from kavach.examination.tool_rules import ToolRules, Trace

_FOLDERS = [
    "phone.zip!/sdcard/DCIM/Camera",
    "phone.zip!/sdcard/WhatsApp/Media/WhatsApp Images",
    "phone.zip!/data/data/com.whatsapp/files",
    "phone.zip!/data/app/~~a1B2==/com.google.android.apps.maps-Zx9==",
    "phone.zip!/sdcard/Android/data/com.instagram.android/cache",
    "disk.E01#p2:/Users/ravi/Pictures/2023",
    "disk.E01#p2:/Users/ravi/AppData/Local/Temp",
    "disk.E01#p2:/Program Files/Mozilla Firefox",
    "disk.E01#p2:/Windows/System32",
    "disk.E01#p2:/Windows/Prefetch",
    "backup/CameraRollDomain/Media/DCIM/100APPLE",
    "backup/AppDomain-net.whatsapp.WhatsApp/Documents",
    "laptop.dd#p2:/usr/bin",
    "laptop.dd#p2:/home/anu/Downloads",
]
_NAMES = ["IMG_{n:05d}.jpg", "VID-2023{n:04d}-WA0001.mp4", "notes-{n}.txt",
          "cache-{n}.db", "firefox.exe", "lib{n}.so", "{n}.tmp", "base.apk",
          "APP{n}.EXE-1A2B3C4D.pf", "data-{n}.apk", "tor-{n}.txt"]  # fmt: skip

PLANTED = {
    "phone.zip!/data/data/org.torproject.android/files/tor": (
        "android.orbot",
        Trace.APP_DATA,
    ),
    "phone.zip!/data/app/~~Yy==/com.palmtronix.shreddit.v1-Aa==/base.apk": (
        "android.shreddit",
        Trace.APK,
    ),
    "disk.E01#p2:/Windows/Prefetch/SDELETE.EXE-0F1E2D3C.pf": (
        "windows.sdelete",
        Trace.PREFETCH,
    ),
    "disk.E01#p2:/Users/ravi/Downloads/VeraCrypt.exe": (
        "windows.veracrypt",
        Trace.PROGRAM,
    ),
    "backup/AppDomain-com.miketigas.OnionBrowser/Documents/x.plist": (
        "ios.onion-browser",
        Trace.IOS_APP,
    ),
}


def _ordinary(count: int) -> list[str]:
    pick = random.Random(20261202)
    return [
        f"{pick.choice(_FOLDERS)}/{pick.choice(_NAMES).format(n=n)}"
        for n in range(count)
    ]


def test_match_all_over_200k_paths_finds_the_planted_ones() -> None:
    rules = ToolRules.packaged()
    paths = _ordinary(200_000)
    for n, planted in enumerate(PLANTED):
        paths.insert(n * 40_000 + 7, planted)
    began = time.perf_counter()
    found = rules.match_all(paths)
    seconds = time.perf_counter() - began
    print(f"\nmatch_all: {len(paths):,} paths in {seconds:.2f} s "
          f"({len(paths) / seconds:,.0f} paths/s)")  # fmt: skip
    assert sorted((f.rule.id, f.trace) for f in found) == sorted(PLANTED.values())
