"""Small list files in the shape of the real ones, one writer per format.

Each writer returns the digests a correct parser must find (lowercase), so the
contract test can check every registered format the same way.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

MD5_A = "d35c785545392755e7e4164457657269"
MD5_B = "69b0834fac1477a4397a0be6b6e55c1a"
SHA1_A = "ea45d7166b30f98aac6af52f952193ce3083cb4c"
SHA1_B = "d2182bff558e1a3178bd5b8961803094bfd1dd89"
SHA256_A = "b5b0799616df52d475a3968dc7e54f1d0724c912244ffa6175bc786375dd7298"
SHA256_B = "25094afa08e258b3135208b54b0ed28a50ad5386a4e4b66501e7ad886864fd54"
PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
PDQ_B = "f8f8f0cee0f4a84f06370a2a038f63f0b36e26d596621e1d33e6b39c4e9c9b22"
PHOTODNA = "AB" * 144

Expected = list[dict[str, str]]


def vics_2(path: Path) -> Expected:
    document = {
        "@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/"
        "2.0.xml/US/$metadata#Media",
        "value": [
            {
                "MediaID": 1,
                "Category": 1,
                "MD5": MD5_A.upper(),
                "SHA1": SHA1_A.upper(),
                "MediaSize": 1234,
                "VictimIdentified": "true",
                "IsDistributed": "false",
                "AlternativeHashes": [
                    {"MD5": MD5_A.upper(), "HashName": "SHA256", "HashValue": SHA256_A},
                    {
                        "MD5": MD5_A.upper(),
                        "HashName": "PhotoDNA",
                        "HashValue": PHOTODNA,
                    },
                ],
                "MediaFiles": [{"MD5": MD5_A.upper(), "FileName": "a.jpg"}],
            },
            {"MediaID": 2, "Category": None, "MD5": MD5_B, "Series": "S1"},
        ],
    }
    path.write_text(json.dumps(document))
    return [{"md5": MD5_A, "sha1": SHA1_A, "sha256": SHA256_A}, {"md5": MD5_B}]


def vics_1_cases(path: Path) -> Expected:
    document = {
        "odata.metadata": "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Cases",
        "value": [
            {
                "CaseID": 7,
                "CaseNumber": "C-7",
                "SourceApplicationName": "Tool",
                "Media": [
                    {
                        "MediaID": 10,
                        "Category": "2",
                        "MD5": MD5_A.upper(),
                        "AlternativeHashes": [
                            {"HashName": "SHA1", "HashValue": SHA1_A.upper()}
                        ],
                    },
                    {"MediaID": 11, "Category": "5", "MD5": MD5_B.upper()},
                ],
            }
        ],
    }
    path.write_text(json.dumps(document))
    return [{"md5": MD5_A, "sha1": SHA1_A}, {"md5": MD5_B}]


def icse(path: Path) -> Expected:
    header = (
        "MD5;SHA1;ZZ40;PhotoDNA;Lace;Image ID;Is distributed;Victim identified;"
        "Offender identified;Series name;Investigation name;Agency;"
        "Number of submissions;File Available;Media Type;Baseline"
    )
    rows = [
        f"{MD5_A};{SHA1_A};;{PHOTODNA};;501;Y;N;N;Series;Op;Agency;3;True;Image;Yes;",
        f"{MD5_B}x;{SHA1_B};;;;502;N;N;N;;;;1;False;Video;No;",
    ]
    path.write_text("\n".join([header, *rows]) + "\n")
    return [{"md5": MD5_A, "sha1": SHA1_A}, {"sha1": SHA1_B}]


def ncmec(path: Path) -> Expected:
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<queryResult xmlns="https://hashsharing.ncmec.org/HashSharing/v2">
  <images count="2" maxTimestamp="2026-10-01T00:00:00Z">
    <image><id>img-1</id><member id="42">Partner</member>
      <classification>A1</classification>
      <fingerprints><md5>{MD5_A.upper()}</md5><sha1>{SHA1_A}</sha1><pdq>{PDQ_A}</pdq>
        <photodna>{PHOTODNA}</photodna></fingerprints></image>
    <deletedImage><id>img-0</id><member id="42">Partner</member></deletedImage>
  </images>
  <videos count="1" maxTimestamp="2026-10-01T00:00:00Z">
    <video><id>vid-1</id><member id="43">Other</member>
      <classification>B2</classification>
      <fingerprints><md5>{MD5_B}</md5></fingerprints></video>
  </videos>
</queryResult>
""")
    return [{"md5": MD5_A, "sha1": SHA1_A, "pdq": PDQ_A}, {"md5": MD5_B}]


def nsrl_rds(path: Path) -> Expected:
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE FILE (sha256 TEXT, sha1 TEXT, md5 TEXT, crc32 TEXT,
            file_name TEXT, file_size INTEGER, package_id INTEGER,
            PRIMARY KEY (sha256, sha1, md5, crc32, file_name, file_size, package_id));
        CREATE TABLE PKG (package_id INTEGER, name TEXT, version TEXT,
            operating_system_id INTEGER, manufacturer_id INTEGER, language TEXT,
            application_type TEXT);
    """)
    rows = [
        (SHA256_A.upper(), SHA1_A.upper(), MD5_A.upper(), "00", "a.dll", 10, 1),
        (SHA256_A.upper(), SHA1_A.upper(), MD5_A.upper(), "00", "a.dll", 10, 2),
        (SHA256_B.upper(), SHA1_B.upper(), MD5_B.upper(), "00", "b.exe", 20, 1),
    ]
    connection.executemany("INSERT INTO FILE VALUES (?,?,?,?,?,?,?)", rows)
    connection.commit()
    connection.close()
    # One entry per distinct SHA-256, in SHA-256 order.
    return [
        {"md5": MD5_B, "sha1": SHA1_B, "sha256": SHA256_B},
        {"md5": MD5_A, "sha1": SHA1_A, "sha256": SHA256_A},
    ]


def nsrl_legacy(path: Path) -> Expected:
    path.write_text(
        '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode",'
        '"SpecialCode"\n'
        f'"{SHA1_A.upper()}","{MD5_A.upper()}","1A2B3C4D","a.dll",10,1,"WIN",""\n'
        f'"{SHA1_B.upper()}","{MD5_B.upper()}","1A2B3C4E","wipe.exe",20,2,"WIN","M"\n'
    )
    return [{"md5": MD5_A, "sha1": SHA1_A}, {"md5": MD5_B, "sha1": SHA1_B}]


def hashdeep(path: Path) -> Expected:
    path.write_text(
        "%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n"
        "## Invoked from: /evidence\n## $ hashdeep -r -c md5,sha256 .\n##\n"
        f"10,{MD5_A},{SHA256_A},/evidence/a,with,commas.jpg\n"
        f"20,{MD5_B.upper()},{SHA256_B},/evidence/b.jpg\n"
    )
    return [{"md5": MD5_A, "sha256": SHA256_A}, {"md5": MD5_B, "sha256": SHA256_B}]


def plain(path: Path) -> Expected:
    path.write_text(
        f"{MD5_A}  photos/a.jpg\n{SHA256_B.upper()} *photos/b.jpg\n"
        f"# a comment\n{SHA1_A}\nMD5 (c.jpg) = {MD5_B}\n"
    )
    return [{"md5": MD5_A}, {"sha256": SHA256_B}, {"sha1": SHA1_A}, {"md5": MD5_B}]


def encase(path: Path) -> Expected:
    header = bytearray(0x480)
    header[:8] = b"HASH\r\n\xff\x00"
    struct.pack_into("<I", header, 0x10, 2)
    title = "Known bad set".encode("utf-16-le")
    header[0x408 : 0x408 + len(title)] = title
    records = bytes.fromhex(MD5_A) + b"\x00\x00" + bytes.fromhex(MD5_B) + b"\x00\x00"
    path.write_bytes(bytes(header) + records)
    return [{"md5": MD5_A}, {"md5": MD5_B}]


def hashkeeper(path: Path) -> Expected:
    path.write_text(
        '"file_id","hashset_id","file_name","directory","hash","file_size",'
        '"date_modified","time_modified","time_zone","comments","date_accessed",'
        '"time_accessed"\n'
        f'1,7,"a.jpg","C:\\\\pics","{MD5_A.upper()}",10,,,,,,\n'
        f'2,7,"b.jpg","C:\\\\pics","{MD5_B.upper()}",20,,,,,,\n'
    )
    return [{"md5": MD5_A}, {"md5": MD5_B}]


def pdq_lines(path: Path) -> Expected:
    path.write_text(f"pdq {PDQ_A}\npdq {PDQ_B.upper()}\n")
    return [{"pdq": PDQ_A}, {"pdq": PDQ_B}]


def pdq_csv(path: Path) -> Expected:
    path.write_text(f"hash,quality,id\n{PDQ_A},100,x1\n{PDQ_B},90,x2\n")
    return [{"pdq": PDQ_A}, {"pdq": PDQ_B}]


def vpdq_csv(path: Path) -> Expected:
    path.write_text(
        f"video_id,frame,quality,pdq,seconds\nclip-1,0,100,{PDQ_A},0.000\n"
        f"clip-1,1,90,{PDQ_B.upper()},0.033\nclip-2,0,80,{PDQ_B},0.000\n"
    )
    return [{"frames": "2"}, {"frames": "1"}]


def vpdq_frames(path: Path) -> Expected:
    path.write_text(f"0,100,{PDQ_A},0.000\n1,100,{PDQ_B},0.033\n")
    return [{"frames": "2"}]


def nist_caid(path: Path) -> Expected:
    """The shape of NIST's CAID sets: data model 1.2, MediaFiles, MediaSize as text."""
    document = {
        "odata.metadata": "http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media",
        "value": [
            {
                "MD5": MD5_A.upper(),
                "SHA1": SHA1_A.upper(),
                "MediaSize": "1234",
                "MediaFiles": [{"FileName": "a.jpg", "FilePath": "x/"}],
            },
            {"MD5": MD5_B, "SHA1": SHA1_B, "MediaSize": "99", "MediaFiles": []},
        ],
    }
    path.write_text(json.dumps(document))
    return [{"md5": MD5_A, "sha1": SHA1_A}, {"md5": MD5_B, "sha1": SHA1_B}]


def custom_csv(path: Path) -> Expected:
    """IPED's "custom CSV": a header in any order, here with a semicolon."""
    path.write_text(
        "FileName;Size;SHA-1;MD5;Notes\n"
        f"a.jpg;1234;{SHA1_A.upper()};{MD5_A};seen 2024\n"
        f'"b;c.jpg";99;{SHA1_B};;\n'
    )
    return [{"md5": MD5_A, "sha1": SHA1_A}, {"sha1": SHA1_B}]


# format name -> [(file name, writer)]: every registered format must appear here.
SAMPLES: dict[str, list[tuple[str, Callable[[Path], Expected]]]] = {
    "vics": [("media.json", vics_2), ("cases.json", vics_1_cases)],
    "icse": [("icse.csv", icse)],
    "ncmec": [("entries.xml", ncmec)],
    "nsrl-rds": [("RDS_minimal.db", nsrl_rds)],
    "nsrl-legacy": [("NSRLFile.txt", nsrl_legacy)],
    "hashdeep": [("audit.txt", hashdeep)],
    "plain": [("list.md5", plain)],
    "encase": [("set.hash", encase)],
    "hashkeeper": [("set.hsh", hashkeeper)],
    "pdq": [("pdq.txt", pdq_lines), ("pdq.csv", pdq_csv)],
    "vpdq": [("videos.csv", vpdq_csv), ("clip-9.txt", vpdq_frames)],
    "nist-caid": [("NSRL_CAID.json", nist_caid)],
    "csv": [("list.csv", custom_csv)],
}
