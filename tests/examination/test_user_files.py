"""is_user_file: a person's pictures, videos, documents and chats, by place and type."""

from __future__ import annotations

import pytest

from kavach.examination.wiping import is_user_file


@pytest.mark.parametrize(
    ("path", "mime"),
    [
        ("disk.E01#p2:/Users/ravi/Pictures/a.jpg", "image/jpeg"),
        ("disk.E01#p2:/Users/ravi/Documents/a.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("disk.E01#p2:/Users/ravi/Desktop/a.pdf", "application/pdf"),
        ("phone.zip!/sdcard/DCIM/Camera/IMG_1.jpg", "image/jpeg"),
        ("phone.zip!/storage/emulated/0/Movies/a.mp4", "video/mp4"),
        ("phone.zip!/data/media/0/WhatsApp/Media/a.opus", "audio/ogg"),
        ("phone.zip!/data/data/com.whatsapp/databases/msgstore.db",
         "application/vnd.sqlite3"),
        ("iphone/private/var/mobile/Media/DCIM/100APPLE/IMG_1.HEIC", "image/heic"),
        ("backup/HomeDomain/Media/Recordings/a.m4a", "audio/mp4"),
        ("backup/CameraRollDomain/Media/DCIM/100APPLE/IMG_1.JPG", "image/jpeg"),
        ("backup/HomeDomain/Library/SMS/sms.db", "application/x-sqlite3"),
        ("laptop.dd#p2:/home/anu/Downloads/b.png", "image/png; charset=binary"),
    ],
)  # fmt: skip
def test_user_files(path: str, mime: str) -> None:
    assert is_user_file(path, mime)


@pytest.mark.parametrize(
    ("path", "mime"),
    [
        ("disk.E01#p2:/Windows/Web/Wallpaper/img0.jpg", "image/jpeg"),
        ("disk.E01#p2:/Program Files/App/logo.png", "image/png"),
        ("disk.E01#p2:/Users/ravi/AppData/Local/Temp/a.jpg", "image/jpeg"),
        ("disk.E01#p2:/Users/ravi/Documents/setup.exe", "application/x-msdownload"),
        ("phone.zip!/sdcard/Android/data/com.x/cache/a.jpg", "image/jpeg"),
        ("phone.zip!/sdcard/DCIM/.thumbnails/1.jpg", "image/jpeg"),
        ("phone.zip!/system/media/bootanimation.zip", "application/zip"),
        ("phone.zip!/system/media/audio/ringtones/a.ogg", "audio/ogg"),
        ("phone.zip!/data/data/com.x/databases/other.db", "application/vnd.sqlite3"),
        ("backup/HomeDomain/Library/Caches/a.png", "image/png"),
    ],
)
def test_not_user_files(path: str, mime: str) -> None:
    assert not is_user_file(path, mime)
