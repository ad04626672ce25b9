"""The watchlist: new records that touch a watched person or a pinned identifier
raise one alert each, for the analyst and the station; old records raise none."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from kavach.bootstrap import Kavach
from kavach.cases.records import NewDevice, NewPerson
from kavach.demo.messaging_dbs import whatsapp_android
from kavach.errors import InputError
from kavach.services.tips import TipImportOptions
from tests.helpers.casework import person, report, write_reports
from tests.isp.helpers import HEADER, write_csv

WHO = "analyst-1"
PHONE = "+919847012345"


def _tip(app: Kavach, tmp_path: Path, report_id: str, **who: Any) -> None:
    path = write_reports(
        tmp_path / f"{report_id}.json", [report(report_id, [person(**who)])]
    )
    app.services.tips.import_paths([path], TipImportOptions(), WHO)


def _rajesh(app: Kavach) -> int:
    """K. Rajesh, filed in the directory; his directory person's id."""
    pid = app.services.casework.add_person(
        NewPerson(
            "K. Rajesh",
            date_of_birth=date(1988, 4, 12),
            identifiers=(("phone", None, PHONE),),
        ),
        WHO,
    )
    app.services.directory.resolve(WHO)
    return app.services.directory.person_of(f"person:{pid}", WHO)


def test_a_tip_touching_a_watched_person_alerts_once(
    app: Kavach, tmp_path: Path
) -> None:
    _tip(app, tmp_path, "OLD-1", phone=PHONE)  # before the watch: not news
    rajesh = _rajesh(app)
    watch = app.services.watch
    watch.watch_person(rajesh, WHO, station="Kakkanad", note="released on bail")
    assert watch.alerts(WHO) == []
    # a new tip names his number (and a screen name): one alert, with what matched
    _tip(app, tmp_path, "NEW-1", phone="9847012345", first="Raju", screen="raju_k")
    (alert,) = watch.alerts(WHO)
    assert alert["source"] == "tip" and alert["reference"].endswith(" NEW-1")
    assert alert["matched"] == f"phone||{PHONE}"
    assert alert["analyst"] == WHO and alert["station"] == "Kakkanad"
    assert watch.alerts(WHO, station="Kakkanad", unseen=True) == [alert]
    watch.seen([alert["id"]], WHO)
    assert watch.alerts(WHO, unseen=True) == []
    actions = {e.action for e in app.services.audit.entries()}
    assert {"watch.add", "watch.alerts", "watch.read", "watch.seen"} <= actions


def test_a_pinned_number_written_otherwise_in_an_isp_reply(
    app: Kavach, tmp_path: Path
) -> None:
    watch = app.services.watch
    watch.pin("phone", "098470 12345", WHO)
    reply = write_csv(
        tmp_path / "reply.csv",
        [
            HEADER,
            [
                "203.0.113.5",
                "40000-40010",
                "2026-11-20T10:00:00+05:30",
                "2026-11-20T12:00:00+05:30",
                "A. Subscriber",
                "House 1, Kollam",
                "691001",
                "+91 98470 12345",
            ],
        ],
    )
    app.services.isp.import_reply(reply, WHO)
    (alert,) = watch.alerts(WHO)
    assert alert["source"] == "isp" and alert["label"] == PHONE


def test_a_pinned_group_wakes_when_a_phone_shows_it(
    app: Kavach, tmp_path: Path
) -> None:
    members = ["919847000009", "919847011111"]
    group = f"{members[0]}-1700000000@g.us"
    watch = app.services.watch
    watch.pin("group", f"whatsapp:{group}", WHO, station="Aluva")
    app.services.casework.seize_device(NewDevice("PH-1", "phone", _now()), WHO)
    folder = tmp_path / "ph1"
    whatsapp_android(folder, "919847011111", members, "ab" * 32, "Share zone")
    app.services.messaging.read_extraction(folder, WHO, device="PH-1")
    alerts = watch.alerts(WHO, station="Aluva")
    assert [a["source"] for a in alerts] == ["phone"]
    assert "group Share zone" in alerts[0]["reference"]


def test_pins_are_checked(app: Kavach) -> None:
    with pytest.raises(InputError, match="not a number"):
        app.services.watch.pin("phone", "12", WHO)
    with pytest.raises(InputError, match="APP:GROUP-ID"):
        app.services.watch.pin("group", "no-colon", WHO)


def _now() -> datetime:
    return datetime(2026, 11, 21, 6, 0, tzinfo=UTC)


def test_a_finished_scan_of_a_watched_device_alerts(
    app: Kavach, tmp_path: Path
) -> None:
    imei = "356938035643809"
    casework, watch = app.services.casework, app.services.watch
    casework.seize_device(NewDevice("PH-9", "phone", _now(), imei=imei), WHO)
    watch.pin("device_id", imei, WHO)  # the seizure came before: no alert
    root = tmp_path / "ph9"
    root.mkdir()
    (root / "a.txt").write_bytes(b"benign")
    scans = app.services.scans
    scan_id = scans.start(root, WHO, exhibit="PH-9 image", allow_empty=True)
    casework.link_exhibit("PH-9", "PH-9 image", WHO)
    scans.run([scan_id], workers=1)
    scans.finish(scan_id, WHO)
    (alert,) = watch.alerts(WHO)
    assert alert["source"] == "scan" and alert["reference"].endswith("of PH-9")
    assert watch.alerts(WHO) == [alert]  # swept once
