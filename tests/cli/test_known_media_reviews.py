"""A known file once present (a chat's record of a listed file, the file gone from
the phone) is reviewed as a hit is: confirmed or rejected by an examiner, kept
with its history, and only then counted as material."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from kavach.storage.database import make_engine
from kavach.storage.phone_tables import phone_media_review
from tests.helpers import messaging_dbs
from tests.helpers.cli import Env, run_kavach

LISTED = hashlib.sha256(b"a listed picture, gone from the phone").hexdigest()
OWNER = "919847011111"


def _json(env: Env, *args: str | Path) -> Any:
    return json.loads(run_kavach(env, *args, "--format", "json").stdout)


def _filed(env: Env, tmp_path: Path) -> dict[str, Any]:
    listing = tmp_path / "unit.sha256"
    listing.write_text(f"{LISTED}  series-a/0001.jpg\n")
    run_kavach(env, "hashset", "import", listing)
    added = run_kavach(env, "person", "add", "Anil Kumar", "--phone", f"+{OWNER}")
    owner = added.stdout.split()[1]
    run_kavach(env, "seizure", "add", "PH-1", "--type", "phone", "--owner", owner)
    folder = tmp_path / "ph1"
    messaging_dbs.whatsapp_android(
        folder, OWNER, ["919847000009", OWNER], LISTED, "Share zone"
    )
    run_kavach(env, "phone", "apps", folder, "--device", "PH-1")
    (record,) = _json(env, "phone", "media")
    return dict(record)


def test_a_known_file_once_present_counts_only_once_confirmed(
    env: Env, tmp_path: Path
) -> None:
    record = _filed(env, tmp_path)
    assert record["sha256"] == LISTED and record["device"] == "PH-1"
    assert record["decision"] == "pending" and record["chat"] == "Share zone"
    assert record["lists"][0]["list"]
    # the list's word alone is not material: nothing is counted before a review
    assert _json(env, "stats", "material") == []
    media = str(record["media_id"])
    run_kavach(env, "phone", "review-media", media, "--decision", "rejected",
               KAVACH_USER="examiner-a")  # fmt: skip
    shown = run_kavach(
        env, "phone", "review-media", media, "--decision", "confirmed",
        "--category", "1", "--age-band", "6-10", "--note", "the series' picture",
        KAVACH_USER="examiner-b",
    ).stdout  # fmt: skip
    assert f"media {media} on PH-1: confirmed (category 1, age band 6-10)" in shown
    assert {"category": "1", "age_band": "6-10", "count": 1} in _json(
        env, "stats", "material"
    )
    by_exhibit = _json(env, "stats", "material", "--by", "exhibit")
    assert [row["exhibit"] for row in by_exhibit] == ["PH-1"]
    (now,) = _json(env, "phone", "media", "--device", "PH-1")
    assert now["decision"] == "confirmed" and now["decided_by"] == "examiner-b"
    assert _json(env, "phone", "media", "--device", "PH-2") == []
    history = _json(env, "phone", "media-history", media)
    assert [(h["by"], h["decision"]) for h in history] == [
        ("examiner-a", "rejected"),
        ("examiner-b", "confirmed"),
    ]
    # withdrawn: out of the counts, the history keeps all three
    run_kavach(env, "phone", "review-media", media, "--decision", "rejected",
               "--note", "another picture of the same name")  # fmt: skip
    assert _json(env, "stats", "material") == []
    assert len(_json(env, "phone", "media-history", media)) == 3
    audit = run_kavach(env, "audit", "list", "--format", "json").stdout
    assert "media.review" in audit and "media.list" in audit


def test_a_media_review_that_does_not_hold_together_is_refused(
    env: Env, tmp_path: Path
) -> None:
    media = str(_filed(env, tmp_path)["media_id"])
    back = run_kavach(
        env, "phone", "review-media", media, "--decision", "pending", check=False
    )
    assert back.returncode == 2 and "--note" in back.stderr
    banded = run_kavach(
        env, "phone", "review-media", media, "--decision", "rejected",
        "--age-band", "6-10", check=False,
    )  # fmt: skip
    assert banded.returncode == 2 and "confirmed media record" in banded.stderr
    unknown = run_kavach(
        env, "phone", "review-media", "999999", "--decision", "rejected", check=False
    )
    assert unknown.returncode != 0 and "no known media record 999999" in unknown.stderr
    assert _json(env, "phone", "media-history", media) == []
    engine = make_engine(env.database_url)
    run_kavach(env, "phone", "review-media", media, "--decision", "confirmed")
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(update(phone_media_review).values(decision="rejected"))
    engine.dispose()
