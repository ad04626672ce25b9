"""The clocks the law sets on a case, and when each runs out.

- BNSS s.193(2): a POCSO investigation finishes within two months of the
  information being recorded.
- BNSS s.193(3)(ii): the informant or victim is told of progress within 90 days.
- The ISPs keep IPDR for two years: a request still unanswered as that nears is
  urgent (from the IP event's time, not the case's).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

PROGRESS_NOTICE = timedelta(days=90)
ISP_RETENTION = timedelta(days=730)


@dataclass(frozen=True, slots=True)
class Clock:
    case: str  # the printed number
    clock: str
    due: datetime
    days_left: int
    met: bool  # the step was done (charge sheet filed, notice sent)

    def as_dict(self) -> dict[str, object]:
        return {
            "case": self.case,
            "clock": self.clock,
            "due": self.due.isoformat(),
            "days_left": self.days_left,
            "met": self.met,
        }


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def case_clocks(
    number: str,
    registered: datetime,
    pocso: bool,
    charge_sheeted: bool,
    notice_sent: bool,
    now: datetime,
) -> list[Clock]:
    clocks = []
    if pocso:
        due = add_months(registered, 2)
        clocks.append(
            _clock(number, "POCSO investigation (2 months)", due, now, charge_sheeted)
        )
    due = registered + PROGRESS_NOTICE
    clocks.append(
        _clock(number, "progress notice to informant (90 days)", due, now, notice_sent)
    )
    return clocks


def retention_clock(label: str, event_at: datetime, now: datetime) -> Clock:
    return _clock(
        label, "ISP retention (2 years)", event_at + ISP_RETENTION, now, False
    )


def _clock(case: str, name: str, due: datetime, now: datetime, met: bool) -> Clock:
    # Whole days left, rounded up: a clock due in 89.5 days has 90 days to run.
    left = math.ceil((due - now).total_seconds() / 86400)
    return Clock(case, name, due, left, met)
