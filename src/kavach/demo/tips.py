"""The demo's tips, in all three forms a unit receives, and the ISP's reply to them.

Every name, number and address is made up ("Demo Nagar", documentation IP ranges
203.0.113.0/24 and 198.51.100.0/24, CGNAT 100.64.0.0/10); some reports share a phone or
a screen name across forms so that they become one target.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

FIRST = (
    "Anoop",
    "Biju",
    "Rajesh",
    "Suresh",
    "Manoj",
    "Vinod",
    "Sreejith",
    "Arun",
    "Akhil",
    "Jithin",
    "Nikhil",
    "Rahul",
    "Sajan",
    "Deepak",
    "Jomon",
    "Shibu",
)
FAMILY = (
    "Thekkethil",
    "Puthenveedu",
    "Kizhakkedathu",
    "Padinjattil",
    "Vadakkan",
    "Melethil",
    "Kunnathu",
    "Parambil",
)
# (locality, PIN code) pairs across Kerala, for subscribers' addresses.
PLACES = (
    ("Kazhakkoottam", "695582"),
    ("Neyyattinkara", "695121"),
    ("Kollam", "691001"),
    ("Karunagappally", "690518"),
    ("Adoor", "691523"),
    ("Alappuzha", "688001"),
    ("Changanassery", "686101"),
    ("Thodupuzha", "685584"),
    ("Kakkanad", "682030"),
    ("Aluva", "683101"),
    ("Thrissur", "680001"),
    ("Chalakudy", "680307"),
    ("Palakkad", "678001"),
    ("Tirur", "676101"),
    ("Kozhikode", "673001"),
    ("Vadakara", "673101"),
    ("Kalpetta", "673121"),
    ("Kannur", "670001"),
    ("Thalassery", "670101"),
    ("Kasaragod", "671121"),
)
RECEIVED = datetime(2020, 10, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DemoTip:
    report_id: str
    name: str
    phone: str
    screen: str
    ip: str
    port: int | None
    at: datetime
    received: datetime
    place: tuple[str, str]
    listed_md5: str | None


def demo_tips(listed: list[str]) -> list[DemoTip]:
    """48 reports; pairs share a phone (one target), every fourth shares a screen name
    with the one before (another join), a few sit behind CGNAT without a port."""
    tips = []
    for n in range(48):
        person = n // 2  # two reports per person: one target each pair
        phone = f"+9198470{person:05d}"
        cgnat = n % 16 == 15
        name = f"{FIRST[person % len(FIRST)]} {FAMILY[person % len(FAMILY)]}"
        tips.append(
            DemoTip(
                report_id=f"DEMO-{20201000 + n}",
                name=f"{name} (demo)",
                phone=phone,
                screen=f"demo_user_{person if n % 4 else max(person - 1, 0)}",
                ip=f"100.64.{n}.7" if cgnat else f"203.0.113.{n + 10}",
                port=None if cgnat else 40000 + n,
                at=RECEIVED + timedelta(days=n // 2, hours=-3),
                received=RECEIVED + timedelta(days=n // 2),
                place=PLACES[person % len(PLACES)],
                listed_md5=listed[n % len(listed)] if n % 3 == 0 and listed else None,
            )
        )
    return tips


def write_tip_files(folder: Path, tips: list[DemoTip]) -> list[Path]:
    """Tips 0–23 as NCMEC JSON, 24–35 as provider XML, 36–47 as the NCRB sheet."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        folder / "cybertip-demo.json",
        folder / "cybertip-demo.xml",
        folder / "ncrb-demo.csv",
    ]
    paths[0].write_text(
        json.dumps({"reports": [_json(t) for t in tips[:24]]}, indent=1),
        encoding="utf-8",
    )
    paths[1].write_text(_xml(tips[24:36]), encoding="utf-8")
    _sheet(paths[2], tips[36:])
    return paths


def _json(t: DemoTip) -> dict[str, object]:
    first, _, last = t.name.partition(" ")
    files = (
        [{"filename": "upload.jpg", "verificationHash": t.listed_md5}]
        if (t.listed_md5)
        else []
    )
    return {
        "reportId": t.report_id,
        "dateReceived": t.received.isoformat(),
        "reportedInformation": {
            "reportingEsp": {"espName": "DemoChat"},
            "incidentSummary": {
                "incidentType": "Child Pornography (possession, "
                "manufacture, and distribution)",
                "incidentDateTime": t.at.isoformat(),
            },
            "reportedPeople": {
                "reportedPersons": [
                    {
                        "firstName": first,
                        "lastName": last,
                        "espService": "DemoChat",
                        "screenName": {"value": t.screen},
                        "phones": {"phones": [{"value": t.phone}]},
                        "sourceInformation": {"sourceCaptures": [_capture(t)]},
                    }
                ]
            },
            "uploadedFiles": {"uploadedFiles": files},
        },
    }


def _capture(t: DemoTip) -> dict[str, object]:
    found: dict[str, object] = {
        "captureType": "IP Address",
        "value": t.ip,
        "dateTime": t.at.isoformat(),
        "eventName": "Upload",
    }
    if t.port is not None:
        found["port"] = str(t.port)
    return found


def _xml(tips: list[DemoTip]) -> str:
    reports = []
    for t in tips:
        first, _, last = t.name.partition(" ")
        port = f"<port>{t.port}</port>" if t.port is not None else ""
        reports.append(
            f'  <report reportId="{t.report_id}">\n'
            "    <incidentSummary><incidentType>Child Pornography (possession, "
            "manufacture, and distribution)</incidentType>"
            f"<incidentDateTime>{t.at.isoformat()}</incidentDateTime></incidentSummary>\n"
            "    <reporter><espName>DemoShare</espName></reporter>\n"
            "    <personOrUserReported>\n"
            f"      <personOrUserReportedPerson><firstName>{escape(first)}</firstName>"
            f"<lastName>{escape(last)}</lastName><phone>{t.phone}</phone>"
            "</personOrUserReportedPerson>\n"
            "      <espService>DemoChat</espService>"
            f"<screenName>{t.screen}</screenName>\n"
            f"      <ipCaptureEvent><ipAddress>{t.ip}</ipAddress><eventName>Upload"
            f"</eventName><dateTime>{t.at.isoformat()}</dateTime>{port}"
            "</ipCaptureEvent>\n"
            "    </personOrUserReported>\n"
            "  </report>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- Kavach demo: made up -->\n'
        "<reports>\n" + "\n".join(reports) + "\n</reports>\n"
    )


def _sheet(path: Path, tips: list[DemoTip]) -> None:
    columns = [
        "report_id",
        "date_received",
        "esp",
        "incident_type",
        "incident_time",
        "suspect_name",
        "suspect_phone",
        "screen_name",
        "esp_service",
        "ip",
        "ip_time",
        "ip_port",
        "file_names",
        "file_hashes",
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for t in tips:
            writer.writerow(
                [
                    t.report_id,
                    t.received.isoformat(),
                    "DemoChat",
                    "Child Pornography (possession manufacture and distribution)",
                    t.at.isoformat(),
                    t.name,
                    t.phone,
                    t.screen,
                    "DemoChat",
                    t.ip,
                    t.at.isoformat(),
                    t.port or "",
                    "upload.jpg" if t.listed_md5 else "",
                    t.listed_md5 or "",
                ]
            )


def write_isp_reply(path: Path, tips: list[DemoTip]) -> Path:
    """The ISP's reply: a CGNAT port block per attributable event, with the
    subscriber's address in the district each demo person lives in."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["ip", "port", "start", "end", "subscriber", "address", "pincode", "phone"]
        )
        for t in tips:
            if t.port is None:
                continue
            locality, pin = t.place
            start = t.at - timedelta(minutes=30)
            writer.writerow(
                [
                    t.ip,
                    f"{t.port - 10}-{t.port + 10}",
                    start.isoformat(),
                    (start + timedelta(hours=2)).isoformat(),
                    t.name,
                    f"House {int(t.report_id[-2:]) + 1}, Demo Nagar, {locality}",
                    pin,
                    t.phone,
                ]
            )
    return path
