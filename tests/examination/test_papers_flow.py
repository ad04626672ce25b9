"""Examination from review to the papers: places from GPS, a camera linking two
exhibits, tools apart from material, and the PDFs read back with pdftotext."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kavach.reporting.pdf import pdf_image_count
from kavach.storage.database import make_engine
from kavach.storage.tables import scan_run
from tests.helpers.cli import Env, run_kavach
from tests.helpers.pictures import camera_picture

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing"
)
PLACES = {
    "kochi.jpg": ((9.9816, 76.2999), "ERNAKULAM"),
    "tvm.jpg": ((8.5241, 76.9366), "THIRUVANANTHAPURAM"),
    "kozhikode.jpg": ((11.2588, 75.7804), "KOZHIKODE"),
    "chennai.jpg": ((13.0827, 80.2707), "Tamil Nadu"),
}
OWN = ("Samsung", "SM-A515F", "R58N91ABCDE")


def _json(env: Env, *args: str | Path) -> Any:
    return json.loads(run_kavach(env, *args, "--format", "json").stdout)


def _text(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    )
    return done.stdout.decode()


def _no_images(pdf: Path) -> None:
    assert pdf_image_count(pdf.read_bytes()) == 0
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(listed) == 2, listed  # the header and its rule, no image row


def _exhibits(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    phone = tmp_path / "phone-1"
    camera = phone / "DCIM" / "Camera"
    camera.mkdir(parents=True)
    for seed, (name, (point, _)) in enumerate(PLACES.items()):
        (camera / name).write_bytes(camera_picture(seed, *OWN, point=point))
    material = {
        "m1.jpg": camera_picture(11, *OWN, point=PLACES["kochi.jpg"][0]),
        "m2.jpg": camera_picture(12, *OWN),
    }
    (phone / "Pictures").mkdir()
    for name, data in material.items():
        (phone / "Pictures" / name).write_bytes(data)
    tool = phone / "Program Files" / "VeraCrypt" / "VeraCrypt.exe"
    tool.parent.mkdir(parents=True)
    tool.write_bytes(b"a benign stand-in for a disk-encryption program\n")
    app = phone / "data" / "data" / "org.torproject.torbrowser" / "files" / "torrc"
    app.parent.mkdir(parents=True)
    app.write_text("SocksPort auto\n")
    other = tmp_path / "phone-2" / "DCIM"
    other.mkdir(parents=True)
    (other / "IMG_0001.jpg").write_bytes(camera_picture(21, *OWN))
    (other / "IMG_0002.jpg").write_bytes(camera_picture(22, "Apple", "iPhone 11", "X1"))
    lists = tmp_path / "lists"
    lists.mkdir()
    md5 = {name: hashlib.md5(data).hexdigest() for name, data in material.items()}
    (lists / "alerts.txt").write_text("".join(f"{h}  {n}\n" for n, h in md5.items()))
    tool_md5 = hashlib.md5(tool.read_bytes()).hexdigest()
    (lists / "tools.txt").write_text(f"{tool_md5}  VeraCrypt.exe\n")
    return phone, other.parent, material


def _seize_and_register(env: Env) -> None:
    run_kavach(env, "init")
    run_kavach(
        env,
        "search",
        "record",
        "TC 12/345, Kazhakkoottam",
        "--team-lead",
        "SI Test",
        "--station",
        "Kazhakkoottam",
        "--at",
        "2026-11-20T06:00",
    )
    run_kavach(
        env,
        "seizure",
        "add",
        "PH-1",
        "--type",
        "phone",
        "--search",
        "1",
        "--make",
        "Samsung",
        "--model",
        "SM-A515F",
        "--imei",
        "356938035643809",
        "--serial",
        "R58N91ABCDE",
        "--seal",
        "S-12",
        "--at",
        "2026-11-20T07:00",
    )
    run_kavach(env, "seizure", "link", "PH-1", "--exhibit", "phone-1")
    run_kavach(
        env,
        "custody",
        "add",
        "PH-1",
        "sealed",
        "--place",
        "P.S. Kazhakkoottam",
        "--at",
        "2026-11-20T07:30",
    )
    run_kavach(
        env,
        "custody",
        "add",
        "PH-1",
        "received_at_lab",
        "--by",
        "Examiner",
        "--at",
        "2026-11-21T10:00",
    )
    run_kavach(
        env,
        "case",
        "register",
        "--station",
        "Kazhakkoottam",
        "--year",
        "2026",
        "--serial",
        "12",
        "--section",
        "IT Act 67B",
        "--search",
        "1",
        "--at",
        "2026-11-20T12:00",
    )


@needs_poppler
def test_examination_from_review_to_the_papers(env: Env, tmp_path: Path) -> None:
    phone, second, material = _exhibits(tmp_path)
    run_kavach(
        env,
        "hashset",
        "import",
        tmp_path / "lists" / "alerts.txt",
        "--name",
        "alerts",
        "--scheme",
        "projectvic-us",
    )
    run_kavach(
        env,
        "hashset",
        "import",
        tmp_path / "lists" / "tools.txt",
        "--name",
        "tools",
        "--role",
        "tool",
    )
    run_kavach(env, "scan", second, "--workers", "1")
    run_kavach(env, "scan", phone, "--workers", "1")

    files = {f["path"].rpartition("/")[2]: f for f in _json(env, "files")}
    for name, (_, place) in PLACES.items():
        assert files[name]["place"] == place, name
        assert files[name]["camera_serial"] == OWN[2]
    assert files["kochi.jpg"]["taken_at"] == "2024-03-05T14:22:10+05:30"
    links = _json(env, "files", "cameras")
    assert [(c["serial"], c["exhibits"]) for c in links] == [(OWN[2], 2)]

    hits = _json(env, "hits")
    material_hits = {
        h["path"].rpartition("/")[2]: h for h in hits if h["list_role"] == "alert"
    }
    tool_hits = [h for h in hits if h["list_role"] == "tool"]
    assert set(material_hits) == {"m1.jpg", "m2.jpg"}
    assert [h["path"] for h in tool_hits] == ["Program Files/VeraCrypt/VeraCrypt.exe"]
    run_kavach(
        env,
        "hits",
        "review",
        str(material_hits["m1.jpg"]["hit_id"]),
        "--decision",
        "confirmed",
        "--category",
        "1",
        "--age-band",
        "6-10",
    )
    run_kavach(
        env,
        "hits",
        "review",
        str(material_hits["m2.jpg"]["hit_id"]),
        "--decision",
        "rejected",
        "--note",
        "a drawing",
    )
    run_kavach(
        env, "hits", "review", str(tool_hits[0]["hit_id"]), "--decision", "confirmed"
    )
    # Only the confirmed material is counted: not the rejected one, not the tool.
    assert _json(env, "stats", "material") == [
        {"category": "1", "age_band": "6-10", "count": 1}
    ]

    _seize_and_register(env)
    report = tmp_path / "papers" / "phone-1.pdf"
    run_kavach(env, "report", "exhibit", "phone-1", "--pdf", "--out", report)
    text = _text(report)
    flat = " ".join(text.split())
    hashes = "".join(text.split())  # a long hash may wrap inside its cell
    confirmed, rejected = (hashlib.sha256(material[n]).hexdigest() for n in material)
    assert confirmed in hashes and rejected not in hashes
    assert "6-10" in flat and "1 rejected on review" in flat
    assert "child abuse material" in flat  # the category's name from the legend
    assert "VeraCrypt" in flat and "Tor Browser" in flat  # tools, by hash and name
    assert "ERNAKULAM" in flat and "Tamil Nadu" in flat
    # m1 came from the phone's own camera, at Kochi: both indicators are drawn.
    assert "taken with a camera the device's own photo folders show" in flat
    assert "hold GPS positions in Kerala (ERNAKULAM)" in flat
    assert "R58N91ABCDE" in flat and "356938035643809" in flat
    assert "sealed" in flat and "received_at_lab" in flat
    assert "Page 1 of" in flat and " IST" in flat
    for companion in ("phone-1.hits.csv", "phone-1.files.csv"):
        digest = hashlib.sha256((report.parent / companion).read_bytes()).hexdigest()
        assert digest in hashes
    _no_images(report)
    html = tmp_path / "papers" / "phone-1.html"
    run_kavach(env, "report", "exhibit", "phone-1", "--out", html)
    assert confirmed in html.read_text() and "<img" not in html.read_text()

    engine = make_engine(env.database_url)
    with engine.connect() as connection:
        integrity = (
            connection.execute(
                select(scan_run.c.integrity_sha256).order_by(
                    scan_run.c.started_at.desc()
                )
            )
            .scalars()
            .first()
        )
    engine.dispose()
    assert integrity
    certificate = tmp_path / "papers" / "certificate.pdf"
    run_kavach(env, "report", "certificate", "phone-1", "--out", certificate)
    flat = " ".join(_text(certificate).split())
    assert integrity in flat and "356938035643809" in flat and "R58N91ABCDE" in flat
    hash_report = certificate.parent / "certificate.hash-report.csv"
    assert hashlib.sha256(hash_report.read_bytes()).hexdigest() in flat
    assert confirmed in hash_report.read_text()
    _no_images(certificate)

    annex = tmp_path / "papers" / "custody.pdf"
    run_kavach(env, "report", "custody", "1", "--out", annex)
    flat = " ".join(_text(annex).split())
    assert "PH-1" in flat and "sealed" in flat and "received_at_lab" in flat
    assert "S-12" in flat and integrity in flat
    _no_images(annex)
