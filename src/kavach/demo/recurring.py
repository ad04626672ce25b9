"""The demo's recurring men: planted so that the directory has someone to find.

Each is written differently in each record, as real records are:

- Rajesh, named in two demo tips (one target), was convicted in 2019 under his
  house name first, with his name in Malayalam; in P-Hunt 20.2 he is arrested
  again as "K. Rajesh" on a new SIM: a repeat offender, the 2019 conviction what
  the flag rests on.
- Suresh, named in two demo tips, is arrested in the operation at a place no tip
  led to, his family name cut to an initial: two episodes.
- Manoj, accused in a June 2020 FIR, is arrested in the operation under his
  Malayalam name's initial-first form, known by the same IMEI: two cases.

The two men the operation itself convicts are in the directory too (a
conviction is enough). Nobody else recurs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from kavach.bootstrap import Services
from kavach.cases.records import NewArrest, NewCase, NewOutcome, NewPerson
from kavach.casework_vocabulary import CaseKind, Outcome


@dataclass(frozen=True)
class Planted:
    """A recurring man's records as the demo files them (for tests and docs)."""

    name: str
    person_ids: tuple[int, ...]
    repeat: bool


IST = timedelta(hours=5, minutes=30)
# Arrests these men add to the operation's cases (part of its 41).
PLANTED_ARRESTS = 3
OPERATION_DAY = datetime(2020, 12, 6, 1, 0, tzinfo=UTC)


def _at(day: date, hour: int = 11) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - IST


def plant_recurring(
    services: Services, who: str, stations: list[str], cases: list[int]
) -> list[Planted]:
    """File the three men's earlier cases and their arrests in the operation.

    ``cases`` are the operation's cases; the ones used here come from searches
    no tip led to, so an arrest in them is a new episode.
    """
    return [
        _rajesh(services, who, stations[3], cases[201]),
        _suresh(services, who, cases[202]),
        _manoj(services, who, stations[10], cases[204]),
    ]


def _earlier_case(
    services: Services, who: str, station: str, serial: int, registered: date
) -> int:
    case_id, _number = services.casework.register_case(
        NewCase(
            CaseKind.FIR,
            station,
            registered.year,
            900 + serial,  # clear of the operation's own serials
            _at(registered),
            ("IT Act 67B", "POCSO 15(1)"),
        ),
        who,
    )
    return case_id


def _arrest(
    services: Services, who: str, case_id: int, person_id: int, at: datetime
) -> None:
    services.casework.accuse(case_id, person_id, who)
    services.casework.add_arrest(NewArrest(case_id, person_id, at, "SI Demo 1"), who)


def _rajesh(services: Services, who: str, station: str, operation_case: int) -> Planted:
    casework = services.casework
    earlier = casework.add_person(
        NewPerson(
            "Kizhakkedathu Rajesh (demo)",
            name_malayalam="കിഴക്കേടത്ത് രാജേഷ്",
            father_name="Gopalan (demo)",
            date_of_birth=date(1988, 4, 12),
            address="Kizhakkedathu House, Demo Nagar, Kollam",
            pincode="691001",
            identifiers=(("phone", None, "+919847000002"),),
        ),
        who,
    )
    case_2019 = _earlier_case(services, who, station, 1, date(2019, 3, 2))
    _arrest(services, who, case_2019, earlier, _at(date(2019, 3, 3)))
    casework.add_charge_sheet(
        case_2019, _at(date(2019, 5, 20)), "POCSO Court (demo)", "CS 90/2019", who
    )
    casework.add_outcome(
        NewOutcome(
            case_2019,
            Outcome.CONVICTED,
            _at(date(2019, 11, 20)),
            earlier,
            "POCSO Court (demo)",
            "5 years (demo)",
        ),
        who,
    )
    again = casework.add_person(
        NewPerson(
            "K. Rajesh (demo)",
            father_name="Gopalan (demo)",
            date_of_birth=date(1988, 4, 12),
            address="Kizhakkedathu, Demo Nagar, Kollam",
            identifiers=(("phone", None, "+919847099002"),),
        ),
        who,
    )
    _arrest(services, who, operation_case, again, OPERATION_DAY)
    return Planted("Rajesh", (earlier, again), repeat=True)


def _suresh(services: Services, who: str, operation_case: int) -> Planted:
    person = services.casework.add_person(
        NewPerson(
            "Suresh P. (demo)",
            age=31,
            address="House 7, Demo Nagar, Karunagappally",
            identifiers=(("phone", None, "+919847000003"),),
        ),
        who,
    )
    _arrest(services, who, operation_case, person, OPERATION_DAY)
    return Planted("Suresh", (person,), repeat=False)


def _manoj(services: Services, who: str, station: str, operation_case: int) -> Planted:
    imei = ("device_id", None, "IMEI:356938035643809")
    first = services.casework.add_person(
        NewPerson(
            "Manoj Vadakkan (demo)",
            father_name="Kuttan (demo)",
            date_of_birth=date(1990, 7, 1),
            address="Vadakkan House, Demo Nagar, Thrissur",
            identifiers=(("phone", None, "+919847088801"), imei),
        ),
        who,
    )
    case_june = _earlier_case(services, who, station, 2, date(2020, 6, 15))
    _arrest(services, who, case_june, first, _at(date(2020, 6, 16)))
    second = services.casework.add_person(
        NewPerson(
            "V. Manoj (demo)",
            name_malayalam="വി. മനോജ്",
            date_of_birth=date(1990, 7, 1),
            address="Demo Nagar, Thrissur",
            identifiers=(imei,),
        ),
        who,
    )
    _arrest(services, who, operation_case, second, OPERATION_DAY)
    return Planted("Manoj", (first, second), repeat=False)
