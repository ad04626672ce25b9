"""Signs that a phone was reset, where ALEAPP and iLEAPP find them."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from kavach.examination.resets import find_resets

HISTORY = """+ [recovery | 2024/03/05 10:12:44 | G991BXXU5CVLL]
--update_package=/cache/update.zip
+ [recovery | 2024/06/01 21:03:09 | G991BXXU5CVLL]
--wipe_data
--reason=Fmm.RemoteWipeOut
--locale=en_IN
+ [recovery | 2024/07/11 08:00:00 | G991BXXU5CVLL]
--prompt_and_wipe_data
--reason=MasterClearConfirm
"""


def _touch(path: Path, when: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    os.utime(path, (when.timestamp(), when.timestamp()))


def test_android_ios_and_samsung_signs_with_their_times(tmp_path: Path) -> None:
    reset = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
    _touch(tmp_path / "android/data/misc/bootstat/factory_reset", reset)
    wiped = datetime(2023, 12, 24, 18, 0, tzinfo=UTC)
    _touch(tmp_path / "iphone/private/var/root/.obliterated", wiped)
    history = tmp_path / "samsung/efs/recovery/history"
    history.parent.mkdir(parents=True)
    history.write_text(HISTORY)
    (tmp_path / "android/data/misc/bootstat/last_boot_time_utc").write_bytes(b"")
    signs = find_resets(tmp_path)
    assert [s.kind for s in signs] == [
        "ios-obliterated",
        "android-bootstat",
        "samsung-recovery",
        "samsung-recovery",
    ]
    assert signs[0].at == wiped and signs[1].at == reset
    assert signs[2].at == datetime(2024, 6, 1, 21, 3, 9)  # local: no zone claimed
    assert signs[2].detail == "remote wipe (Samsung Find My Mobile)"
    assert signs[3].detail == "reset from the phone's settings"
    assert "device reset on 2024-05-02 09:30:00" in signs[1].sentence()
    assert "device local time" in signs[2].sentence()


def test_an_update_is_not_a_reset(tmp_path: Path) -> None:
    history = tmp_path / "efs/recovery/history"
    history.parent.mkdir(parents=True)
    history.write_text(HISTORY.split("+ [recovery | 2024/06/01")[0])
    assert find_resets(tmp_path) == []
