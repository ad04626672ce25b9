"""The demo's operation: a synthetic "P-Hunt 20.2" whose tallies equal the unit's
December 2020 figures (596 locations, 392 devices, 339 cases, 41 arrests).

Everything goes through the same services as the CLI, so the demo is audited like
real work. Addresses are "Demo Nagar"; persons are marked "(demo)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from kavach.bootstrap import Services
from kavach.cases.records import (
    NewArrest,
    NewCase,
    NewCustodyStep,
    NewDevice,
    NewOperation,
    NewOutcome,
    NewPerson,
    NewSearch,
)
from kavach.casework_vocabulary import CaseKind, CustodyStep, Outcome
from kavach.demo.phones import demo_phones, file_demo_phones
from kavach.demo.recurring import PLANTED_ARRESTS, Planted, plant_recurring
from kavach.tips.identifiers import luhn_digit

OPERATION = "P-Hunt 20.2"
LOCATIONS, DEVICES, CASES, ARRESTS = 596, 392, 339, 41
REVISITS = 4  # places searched twice: searches exceed locations
SEIZURE_REPORTS = 39  # BNSS s.106: seizures without an FIR, counted as cases
DAY = datetime(2020, 12, 6, 0, 30, tzinfo=UTC)  # 06:00 IST
DEVICE_TYPES = ("phone", "phone", "laptop", "memory card", "pen drive", "phone")
CUSTODY = (
    CustodyStep.SEALED,
    CustodyStep.DISPATCHED,
    CustodyStep.RECEIVED_AT_LAB,
    CustodyStep.IMAGED,
    CustodyStep.EXAMINED,
)


@dataclass(frozen=True, slots=True)
class DemoOperation:
    summary: str
    searches_without_recording: int
    open_referrals: int
    recurring: list[Planted]


def run_operation(
    services: Services,
    who: str,
    exhibit_label: str,
    tip_addresses: dict[str, str],
    workdir: Path,
) -> DemoOperation:
    """Plan the operation, search, seize, register cases and arrest, as the unit did."""
    casework = services.casework
    casework.create_operation(
        NewOperation(
            OPERATION,
            date(2020, 12, 6),
            date(2020, 12, 6),
            approved_by="Supervisor (demo)",
        ),
        who,
    )
    targets = [t.id for t in services.tips.targets(who)]
    casework.add_targets(OPERATION, targets, who)
    stations = _stations(services)
    places, searched_targets = _addresses(services, who, tip_addresses)
    searches = _searches(services, who, stations, places, searched_targets)
    devices = _devices(services, who, searches, exhibit_label)
    cases = _cases(services, who, searches)
    arrested = _arrests(services, who, cases)
    planted = plant_recurring(services, who, stations, cases)
    phones = [
        label for n, label in enumerate(devices) if DEVICE_TYPES[n % 6] == "phone"
    ]
    file_demo_phones(
        services,
        who,
        workdir / "phones",
        demo_phones(phones[4:], {p.name: p.person_ids for p in planted}, arrested),
    )
    tally = casework.tally(OPERATION, who)
    return DemoOperation(
        tally.summary(),
        tally.searches_without_recording,
        tally.open_referrals,
        planted,
    )


def _stations(services: Services) -> list[str]:
    """Every local station as "name, police district" (names repeat)."""
    units = services.units.directory()
    return [f"{s}, {p.name}" for p in units.all_police_districts() for s in p.stations]


def _addresses(
    services: Services, who: str, tip_addresses: dict[str, str]
) -> tuple[list[str], list[int]]:
    """The places to search: each target's subscriber address first (with the
    target), then the other leads of the day, up to 596 distinct places."""
    places, targets = [], []
    for row in services.tips.targets(who):
        found = [tip_addresses[r] for r in row.tips if r in tip_addresses]
        if found and found[0] not in places:
            places.append(found[0])
            targets.append(row.id)
    n = 0
    while len(places) < LOCATIONS:
        places.append(f"House {n}, Demo Nagar, ward {n % 40 + 1}")
        n += 1
    return places, targets


def _searches(
    services: Services,
    who: str,
    stations: list[str],
    places: list[str],
    targets: list[int],
) -> list[tuple[int, str]]:
    """600 searches at 596 places; every 23rd has no recording (flagged)."""
    searched = []
    order = places + places[:REVISITS]
    for n, place in enumerate(order):
        station = stations[n % len(stations)]
        recorded = n % 23 != 5
        new = NewSearch(
            OPERATION,
            place,
            DAY + timedelta(minutes=n % 300),
            f"SI Demo {n % 57 + 1}",
            station,
            targets[n] if n < len(targets) else None,
            witnesses=(f"Witness {n}A (demo)", f"Witness {n}B (demo)"),
            recording_file=f"VID_{n:04d}.mp4" if recorded else None,
            recording_sha256=f"{n:064x}" if recorded else None,
            recording_forwarded_at=DAY + timedelta(hours=8) if recorded else None,
            outcome="devices seized" if n % 3 else "nothing found",
            children=(9,) if n % 97 == 13 else (),
        )
        searched.append((services.casework.record_search(new, who), station))
    return searched


def _devices(
    services: Services, who: str, searches: list[tuple[int, str]], exhibit: str
) -> list[str]:
    labels = []
    for n in range(DEVICES):
        search_id, _station = searches[(n * 3) % len(searches)]
        kind = DEVICE_TYPES[n % len(DEVICE_TYPES)]
        body = f"35693803{n:06d}"
        label = f"PH202-{n + 1:04d}"
        services.casework.seize_device(
            NewDevice(
                label,
                kind,
                DAY + timedelta(hours=2, minutes=n % 120),
                search_id,
                "DemoMake",
                f"Model {n % 9}",
                body + str(luhn_digit(body)) if kind == "phone" else None,
                f"SN-DEMO-{n:05d}",
                f"SEAL-{n + 1:04d}",
            ),
            who,
        )
        labels.append(label)
    for label in labels[:12]:  # the first devices' journey to the lab
        for step_no, step in enumerate(CUSTODY):
            services.casework.add_custody(
                NewCustodyStep(
                    label,
                    step,
                    DAY + timedelta(days=step_no, hours=4),
                    "Examiner (demo)" if step_no >= 2 else "SI Demo 1",
                    "Cyberdome lab (demo)" if step_no >= 2 else "P.S. (demo)",
                ),
                who,
            )
    services.casework.link_exhibit(labels[0], exhibit, who)
    return labels


def _cases(services: Services, who: str, searches: list[tuple[int, str]]) -> list[int]:
    serials: dict[tuple[str, CaseKind], int] = {}
    cases = []
    for n in range(CASES):
        search_id, station = searches[n]
        kind = CaseKind.SEIZURE_REPORT if n >= CASES - SEIZURE_REPORTS else CaseKind.FIR
        serial = serials[(station, kind)] = serials.get((station, kind), 0) + 1
        sections = (
            ("IT Act 67B", "POCSO 15(1)") if kind is CaseKind.FIR else ("BNS 294",)
        )
        case_id, _number = services.casework.register_case(
            NewCase(
                kind,
                station,
                2020,
                serial,
                DAY + timedelta(hours=10),
                sections,
                OPERATION,
                search_id,
            ),
            who,
        )
        cases.append(case_id)
    return cases


def _arrests(services: Services, who: str, cases: list[int]) -> list[int]:
    from kavach.demo.tips import FAMILY, FIRST

    arrested = []
    # The recurring men (demo/recurring.py) make up the operation's 41 arrests.
    for n in range(ARRESTS - PLANTED_ARRESTS):
        name = f"{FIRST[n % len(FIRST)]} {FAMILY[(n * 5) % len(FAMILY)]} {n} (demo)"
        person_id = services.casework.add_person(
            NewPerson(
                name,
                father_name=f"Father {n} (demo)",
                age=19 + n % 30,
                address=f"House {n}, Demo Nagar",
                identifiers=(("phone", None, f"+9198471{n:05d}"),),
            ),
            who,
        )
        arrested.append(person_id)
        case_id = cases[n * 7]
        services.casework.accuse(case_id, person_id, who)
        services.casework.add_arrest(
            NewArrest(
                case_id,
                person_id,
                DAY + timedelta(hours=6),
                "SI Demo 1",
                "at the place searched",
            ),
            who,
        )
        if n < 8:
            services.casework.add_charge_sheet(
                case_id,
                DAY + timedelta(days=55),
                "POCSO Court (demo)",
                f"CS {n}/2021",
                who,
            )
        if n < 2:
            services.casework.add_outcome(
                NewOutcome(
                    case_id,
                    Outcome.CONVICTED,
                    DAY + timedelta(days=300),
                    person_id,
                    "POCSO Court (demo)",
                    "3 years (demo)",
                ),
                who,
            )
    return arrested


def write_papers(services: Services, who: str, workdir: Path) -> list[Path]:
    """The press charts, the search packages and the ISP letters of the demo."""
    from kavach.reporting.casework_stats import Grouping

    charts = workdir / "charts"
    paths = []
    for grouping in (Grouping.MONTH, Grouping.DISTRICT):
        table = services.stats.table(grouping, None, None, who)
        paths += services.stats.charts(table, charts, f"Demo ({OPERATION})")
    services.stats.write_packages(OPERATION, workdir / "packages", who)
    return paths
