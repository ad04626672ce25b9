"""The demo's seized phones: WhatsApp databases (published schemas) with two groups.

"Share zone (demo)" holds the recurring men's numbers (Rajesh's new SIM, Suresh,
Manoj) and is read from Rajesh's and Suresh's phones; "Kunnathu friends (demo)"
holds three men the operation arrested and is read from two of their phones. The
network shows each group as a community, the group's id the same on both phones.
Benign: no message text, and the one media record per phone is of a file no list
holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kavach.bootstrap import Services
from kavach.demo.messaging_dbs import whatsapp_android, whatsapp_ios

HOLIDAY = hashlib.sha256(b"a demo holiday picture").hexdigest()


@dataclass(frozen=True)
class DemoPhone:
    label: str  # the seized device
    owner: int  # the casework person it was seized from
    number: str  # its WhatsApp account (digits)
    group: str
    members: tuple[str, ...]
    ios: bool = False
    nickname: str = "Owner (demo)"  # the name he gave the app


def demo_phones(
    labels: list[str], recurring: dict[str, tuple[int, ...]], arrested: list[int]
) -> list[DemoPhone]:
    """Which phone is whose, and which group it shows (labels: phones seized)."""
    share = ("919847099002", "919847000003", "919847088801")
    friends = tuple(f"9198471{n:05d}" for n in (10, 11, 12))
    return [
        DemoPhone(
            labels[0], recurring["Rajesh"][-1], share[0], "Share zone (demo)", share
        ),
        DemoPhone(
            labels[1],
            recurring["Suresh"][0],
            share[1],
            "Share zone (demo)",
            share,
            ios=True,
        ),
        DemoPhone(
            labels[2], arrested[10], friends[0], "Kunnathu friends (demo)", friends
        ),
        DemoPhone(
            labels[3], arrested[11], friends[1], "Kunnathu friends (demo)", friends
        ),
    ]


def file_demo_phones(
    services: Services, who: str, folder: Path, phones: list[DemoPhone]
) -> int:
    """Write each phone's extraction, record its owner, file what its apps say."""
    for phone in phones:
        root = folder / phone.label
        build = whatsapp_ios if phone.ios else whatsapp_android
        build(
            root,
            phone.number,
            list(phone.members),
            HOLIDAY,
            phone.group,
        )
        services.casework.set_device_owner(phone.label, phone.owner, who)
        services.messaging.read_extraction(root, who, device=phone.label)
    return len(phones)
