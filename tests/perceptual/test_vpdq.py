"""vPDQ: agreement with the shared reference vectors, and video matching in scans."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from kavach.demo.draw import draw_picture, encode
from kavach.demo.exhibit import DemoSet
from kavach.perceptual.pdq import hamming
from kavach.perceptual.vpdq import FrameHash, compare, frame_hashes
from tests.helpers import disks
from tests.helpers.scanning import import_demo_lists, read_csv, scan

VIDEOS = (
    "chair-19-sd-bar",
    "chair-20-sd-bar",
    "chair-22-sd-sepia-bar",
    "doorknob-hd-no-bar",
)


@pytest.fixture(scope="module")
def hashed(testdata: Path) -> dict[str, list[FrameHash]]:
    frames = {}
    for name in VIDEOS:
        with (testdata / "pdq" / "videos" / f"{name}.mp4").open("rb") as handle:
            frames[name] = frame_hashes(handle, every=None)
    return frames


@pytest.fixture(scope="module")
def testdata() -> Path:
    from tests.conftest import TESTDATA

    return TESTDATA


@pytest.mark.slow
@pytest.mark.parametrize("name", VIDEOS)
def test_every_frame_agrees_with_the_reference(
    hashed: dict[str, list[FrameHash]], name: str, testdata: Path
) -> None:
    expected = [
        line.strip().split(",")
        for line in (testdata / "pdq" / "vpdq-expected" / f"{name}.txt")
        .read_text()
        .splitlines()
        if line.strip()
    ]
    ours = hashed[name]
    assert len(ours) == len(expected)
    for frame, (_, quality, pdq, _) in zip(ours, expected, strict=True):
        if frame.quality >= 50 and int(quality) >= 50:
            assert hamming(frame.pdq, pdq) <= 31


@pytest.mark.slow
def test_near_duplicates_and_unrelated(hashed: dict[str, list[FrameHash]]) -> None:
    chairs = compare(hashed["chair-19-sd-bar"], hashed["chair-22-sd-sepia-bar"])
    assert chairs.query_share >= 0.8 and chairs.target_share >= 0.8
    for chair in ("chair-19-sd-bar", "chair-22-sd-sepia-bar"):
        assert compare(hashed["doorknob-hd-no-bar"], hashed[chair]).query_share == 0
        assert compare(hashed[chair], hashed["doorknob-hd-no-bar"]).query_share == 0


def test_scan_matches_videos_against_a_vpdq_list_folder(
    sqlite_app: Kavach, testdata: Path, tmp_path: Path
) -> None:
    listing = testdata / "pdq" / "vpdq-expected"
    import_demo_lists(sqlite_app, DemoSet(exhibit=tmp_path, lists=[("vpdq", listing)]))
    out = tmp_path / "out"
    scan(sqlite_app, testdata / "pdq" / "videos", out, workers=2)
    hits = read_csv(out / "hits.csv")
    assert {h["algorithm"] for h in hits} == {"vpdq"}
    assert {h["match_type"] for h in hits} == {"perceptual"}
    pairs = {(h["path"], h["partner_id"]) for h in hits}
    assert ("chair-19-sd-bar.mp4", "chair-22-sd-sepia-bar") in pairs
    assert ("doorknob-hd-no-bar.mp4", "doorknob-hd-no-bar") in pairs
    assert not any(
        p == "doorknob-hd-no-bar.mp4" and e != "doorknob-hd-no-bar" for p, e in pairs
    )
    assert not any(
        e == "doorknob-hd-no-bar" and p != "doorknob-hd-no-bar.mp4" for p, e in pairs
    )
    assert all("unique frames" in h["detail"] and " s" in h["detail"] for h in hits)
    assert not any("s" in h["path"].split(".mp4")[-1] for h in hits)  # no time in path


def _video(path: Path, frames_dir: Path, crf: str) -> Path:
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-framerate",
            "4",
            "-i",
            str(frames_dir / "f%03d.png"),
            "-c:v",
            "libx264",
            "-crf",
            crf,
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
    )
    return path


def test_planted_video_found_inside_a_disk_image(
    sqlite_app: Kavach, tmp_path: Path
) -> None:
    disks.require_tools()
    frames_dir = tmp_path / "frames"
    frames_dir.mkdir()
    for index in range(12):  # three seconds of drawn scenes, one a second
        picture = draw_picture(700 + index // 4, (320, 240))
        (frames_dir / f"f{index:03d}.png").write_bytes(encode(picture, "PNG"))
    original = _video(tmp_path / "original.mp4", frames_dir, "18")
    copy = _video(tmp_path / "copy.mp4", frames_dir, "35")  # a re-encoded copy
    assert original.read_bytes() != copy.read_bytes()
    with original.open("rb") as handle:
        frames = frame_hashes(handle, every=None)
    listing = tmp_path / "videos.csv"
    listing.write_text(
        "video_id,frame,quality,pdq,seconds\n"
        + "".join(
            f"case-clip,{f.frame},{f.quality},{f.pdq},{f.seconds}\n" for f in frames
        )
    )
    still = tmp_path / "stills.txt"  # one scene also listed as a picture
    from kavach.perceptual.pdq import pdq_of_stream

    with (frames_dir / "f004.png").open("rb") as handle:
        still.write_text(f"pdq {pdq_of_stream(handle).hash}\n")
    import_demo_lists(
        sqlite_app,
        DemoSet(exhibit=tmp_path, lists=[("videos", listing), ("stills", still)]),
    )
    volume = disks.fat_volume(
        tmp_path / "card.vol", {"DCIM/clip.mp4": copy.read_bytes()}, []
    )
    root = tmp_path / "exhibit"
    root.mkdir()
    disks.partitioned(root / "card.dd", volume, "dos", fat=True)
    out = tmp_path / "out"
    scan(sqlite_app, root, out)
    hits = {(h["path"], h["hashset"]): h for h in read_csv(out / "hits.csv")}
    clip = "card.dd#p1:/DCIM/clip.mp4"
    assert hits[(clip, "videos")]["algorithm"] == "vpdq"
    assert "100% of the video's unique frames" in hits[(clip, "videos")]["detail"]
    assert "frames at 1.0 s" in hits[(clip, "stills")]["detail"]
