"""Signs of wiping: each with a case that shows it and one that does not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kavach.examination.tool_rules import ToolFinding, ToolRules
from kavach.examination.wiping import (
    FileFacts,
    SignCode,
    WipingSettings,
    WipingSign,
    wiping_signs,
)

SEIZED = datetime(2026, 5, 20, 10, 0, tzinfo=UTC)
GIB = 2**30


def _files(
    count: int, newest: datetime, step: timedelta, user: bool = True
) -> list[FileFacts]:
    """``count`` files, each ``step`` older than the one before, from ``newest``."""
    return [
        FileFacts(
            path=f"phone.zip!/sdcard/DCIM/Camera/IMG_{n:04d}.jpg",
            size=2_000_000,
            modified=newest - n * step,
            created=newest - n * step,
            user_file=user,
        )
        for n in range(count)
    ]


def _codes(signs: list[WipingSign]) -> list[SignCode]:
    return [sign.code for sign in signs]


def _tools(*paths: str) -> list[ToolFinding]:
    return ToolRules.packaged().match_all(paths)


def test_all_files_young_before_the_seizure() -> None:
    files = _files(200, SEIZED - timedelta(hours=2), timedelta(hours=3))  # 25 days
    [sign] = wiping_signs(files, 8 * GIB, SEIZED, [])
    assert sign.code == SignCode.ALL_FILES_YOUNG
    assert sign.figures["timed_files"] == 200
    assert sign.figures["reference_kind"] == "seizure"
    assert sign.figures["oldest"] == "2026-04-25T11:00:00+00:00"
    assert "All 200 files with a known time" in sign.message
    assert "within 30 days before the seizure on 2026-05-20" in sign.message
    assert "(the oldest on 2026-04-25)" in sign.message
    assert "may indicate" in sign.message


def test_one_old_file_is_enough_to_say_nothing() -> None:
    files = _files(200, SEIZED, timedelta(hours=3))
    files.append(FileFacts("a/old.jpg", 10, datetime(2019, 1, 1), None, True))
    assert wiping_signs(files, 8 * GIB, SEIZED, []) == []


def test_an_old_creation_time_counts_though_modified_is_recent() -> None:
    files = _files(50, SEIZED, timedelta(hours=1))
    old = FileFacts("a/x.jpg", 1, SEIZED, SEIZED - timedelta(days=400), True)
    assert wiping_signs([*files, old], None, SEIZED, []) == []


def test_without_a_seizure_time_the_newest_file_is_the_reference() -> None:
    newest = datetime(2025, 3, 1, tzinfo=UTC)
    files = _files(20, newest, timedelta(days=1))  # 19 days back
    [sign] = wiping_signs(files, None, None, [])
    assert sign.figures["reference_kind"] == "newest file"
    assert "the newest file time, 2025-03-01" in sign.message
    assert wiping_signs(_files(40, newest, timedelta(days=1)), None, None, []) == []


def test_too_few_timed_files_say_nothing_and_untimed_files_do_not_count() -> None:
    files = _files(9, SEIZED, timedelta(hours=1))
    untimed = [FileFacts(f"a/{n}", 1, None, None, True) for n in range(500)]
    assert wiping_signs([*files, *untimed], None, SEIZED, []) == []
    [sign] = wiping_signs([*_files(10, SEIZED, timedelta(hours=1)), *untimed],
                          None, SEIZED, [])  # fmt: skip
    assert sign.figures["untimed_files"] == 500


def test_naive_and_zoned_times_compare_as_utc() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    files = [
        FileFacts(f"a/{n}.jpg", 1, datetime(2026, 5, 10, 12, 0), None, True)
        for n in range(10)
    ]
    files.append(FileFacts("a/z.jpg", 1, datetime(2026, 5, 1, tzinfo=ist), None, True))
    [sign] = wiping_signs(files, None, datetime(2026, 5, 20, 10, 0), [])
    assert sign.figures["oldest"] == "2026-04-30T18:30:00+00:00"


def test_few_user_files_on_a_large_device() -> None:
    old = timedelta(days=30)
    files = _files(12, SEIZED, old) + _files(3000, SEIZED, old, user=False)
    [sign] = wiping_signs(files, 64 * GIB, SEIZED, [])
    assert sign.code == SignCode.FEW_USER_FILES
    assert sign.figures == {
        "user_files": 12,
        "files": 3012,
        "device_bytes": 64 * GIB,
        "few_user_files": 50,
    }
    assert "Only 12 user files" in sign.message
    assert "among 3,012 files on a device of 64 GiB" in sign.message


def test_enough_user_files_or_a_small_device_say_nothing() -> None:
    old = timedelta(days=30)
    assert wiping_signs(_files(50, SEIZED, old), 64 * GIB, SEIZED, []) == []
    assert wiping_signs(_files(12, SEIZED, old), 8 * GIB, SEIZED, []) == []
    assert wiping_signs(_files(12, SEIZED, old), None, SEIZED, []) == []
    custom = WipingSettings(few_user_files=10)
    assert wiping_signs(_files(12, SEIZED, old), 64 * GIB, SEIZED, [], custom) == []


def test_a_secure_delete_tool_and_a_run_of_it() -> None:
    tools = _tools(
        "disk.E01#p2:/Users/ravi/Downloads/SDelete/sdelete64.exe",
        "disk.E01#p2:/Users/ravi/Downloads/SDelete/sdelete.exe",
        "disk.E01#p2:/Windows/Prefetch/SDELETE64.EXE-1A2B3C4D.pf",
    )
    present, ran = wiping_signs([], None, None, tools)
    assert present.code == SignCode.SECURE_DELETE_TOOL
    assert present.figures["traces"] == 2
    assert present.figures["rule"] == "windows.sdelete"
    assert "Traces of SDelete (Sysinternals), a secure-deletion tool" in present.message
    assert "at 2 places, for example disk.E01#p2:/Users/ravi/Downloads/" in (
        present.message
    )
    assert ran.code == SignCode.WIPER_RUN
    assert ran.message.startswith(
        "1 Windows Prefetch file shows that SDelete (Sysinternals), a "
        "secure-deletion tool, was run on this system "
        "(disk.E01#p2:/Windows/Prefetch/SDELETE64.EXE-1A2B3C4D.pf)"
    )
    assert "may indicate that files were deleted beyond recovery" in ran.message


def test_a_run_without_the_program_left_is_only_a_run() -> None:
    tools = _tools("disk.E01#p2:/Windows/Prefetch/CCLEANER64.EXE-0000ABCD.pf")
    [sign] = wiping_signs([], None, None, tools)
    assert sign.code == SignCode.WIPER_RUN
    assert sign.figures["category"] == "anti-forensics"
    assert "traces of use were removed" in sign.message


def test_an_android_shredder_is_a_sign_and_tor_or_a_vpn_is_not() -> None:
    shredder = _tools("phone.zip!/data/data/com.palmtronix.shreddit.v1/x")
    [sign] = wiping_signs([], None, None, shredder)
    assert sign.code == SignCode.SECURE_DELETE_TOOL
    assert "Shreddit" in sign.message and "1 place," in sign.message
    others = _tools(
        "phone.zip!/data/data/org.torproject.torbrowser/x",
        "phone.zip!/data/data/com.psiphon3/x",
        "disk.E01#p2:/Windows/Prefetch/TOR.EXE-1A2B3C4D.pf",
    )
    assert len(others) == 3
    assert wiping_signs([], None, None, others) == []


def test_many_deleted_entries() -> None:
    files = _files(300, SEIZED, timedelta(days=30))
    [sign] = wiping_signs(files, None, SEIZED, [], deleted_count=1500)
    assert sign.code == SignCode.MANY_DELETED
    assert sign.figures == {"deleted": 1500, "files": 300, "many_deleted": 100}
    assert sign.message.startswith(
        "1,500 deleted file entries were found beside 300 present files"
    )


@pytest.mark.parametrize("deleted", [0, 99, 300])
def test_few_deleted_entries_say_nothing(deleted: int) -> None:
    files = _files(300, SEIZED, timedelta(days=30))
    assert wiping_signs(files, None, SEIZED, [], deleted_count=deleted) == []


def test_signs_come_in_a_fixed_order() -> None:
    files = _files(20, SEIZED, timedelta(hours=1))
    tools = _tools("phone.zip!/data/data/com.zerdava.fileshredder/x")
    signs = wiping_signs(files, 128 * GIB, SEIZED, tools, deleted_count=5000)
    assert _codes(signs) == [
        SignCode.ALL_FILES_YOUNG,
        SignCode.FEW_USER_FILES,
        SignCode.MANY_DELETED,
        SignCode.SECURE_DELETE_TOOL,
    ]
    assert "a device of 128 GiB" in signs[1].message
