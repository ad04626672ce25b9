"""The states casework records can be in, shared by the domain, services and storage.

Each is stored as its value and held to its values by a CHECK constraint
(``storage/casework_tables.py``, migration 0012).
"""

from __future__ import annotations

from enum import StrEnum


class LocatedBy(StrEnum):
    """How a tip was placed in a district (None: not placed, the HQ queue)."""

    ISP = "isp"  # the attributed subscriber's PIN code or address
    GEOIP = "geoip"  # the unit's GeoIP database
    REPORT = "report"  # the provider's estimated location
    MANUAL = "manual"  # an analyst routed it by hand (placement leaves it so)


class AttributionState(StrEnum):
    """What the ISP replies say about one IP event."""

    ATTRIBUTED = "attributed"
    NOT_ATTRIBUTABLE = "not_attributable"  # CGNAT without a port, or no time
    AMBIGUOUS = "ambiguous"  # two subscribers fit
    NO_REPLY = "no_reply"  # no reply covers it (yet)


class CustodyStep(StrEnum):
    """The steps of a seized device's chain of custody, in their usual order."""

    SEIZED = "seized"
    SEALED = "sealed"
    DISPATCHED = "dispatched"
    RECEIVED_AT_LAB = "received_at_lab"
    IMAGED = "imaged"
    EXAMINED = "examined"
    RETURNED = "returned"
    PRODUCED_IN_COURT = "produced_in_court"


class CaseKind(StrEnum):
    FIR = "fir"
    SEIZURE_REPORT = "seizure_report"  # BNSS s.106: a seizure without an FIR


class CaseStatus(StrEnum):
    REGISTERED = "registered"
    UNDER_INVESTIGATION = "under_investigation"
    CHARGE_SHEETED = "charge_sheeted"
    IN_TRIAL = "in_trial"
    DISPOSED = "disposed"
    CLOSED = "closed"


class Outcome(StrEnum):
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    DISCHARGED = "discharged"
    COMPOUNDED = "compounded"
    ABATED = "abated"
