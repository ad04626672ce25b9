"""Category schemes: a partner's raw code mapped to Kavach's internal status.

The raw code is always kept beside the status. Codes a scheme does not define, and
"uncategorised" (Project VIC 0), become ``unknown`` — never ``ignorable``.
"""

from __future__ import annotations

from collections.abc import Callable

from kavach.hashsets.model import Role, Status

_PROJECT_VIC_US = {
    "1": Status.ALERT,  # child abuse material
    "2": Status.ALERT,  # child exploitative / age difficult
    "3": Status.REVIEW,  # CGI / animation
    "4": Status.REVIEW,  # comparison / exemplar
    "5": Status.IGNORABLE,  # non-pertinent
}
_INDUSTRY = {
    "A1": Status.ALERT,
    "A2": Status.ALERT,
    "B1": Status.ALERT,
    "B2": Status.ALERT,
}
_NSRL_SPECIAL = {
    "": Status.IGNORABLE,
    "M": Status.REVIEW,
    "S": Status.REVIEW,
    "T": Status.REVIEW,  # Kavach's: a product a tool rule names
}


def _lookup(table: dict[str, Status]) -> Callable[[str | None, Role], Status]:
    def status(raw: str | None, role: Role) -> Status:
        return table.get((raw or "").strip().upper(), Status.UNKNOWN)

    return status


def _by_role(raw: str | None, role: Role) -> Status:
    # A plain list carries no categories: its role says what its entries are. A
    # tool is worth an examiner's look, not an alert about material.
    if role is Role.ALERT:
        return Status.ALERT
    return Status.REVIEW if role is Role.TOOL else Status.IGNORABLE


def _unpublished(raw: str | None, role: Role) -> Status:
    # UK (CAID) codes are not public: keep the code, let an examiner decide.
    return Status.UNKNOWN


SCHEMES: dict[str, Callable[[str | None, Role], Status]] = {
    "none": _by_role,
    "projectvic-us": _lookup(_PROJECT_VIC_US),
    "caid-uk": _unpublished,
    "custom": _unpublished,
    "industry": _lookup(_INDUSTRY),
    "icse": _by_role,
    "nsrl": _lookup(_NSRL_SPECIAL),
}


# What a code means, for the legend of a report (schemes whose codes are public).
CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "projectvic-us": {
        "0": "uncategorised",
        "1": "child abuse material",
        "2": "child exploitative / age difficult",
        "3": "CGI / animation",
        "4": "comparison / exemplar",
        "5": "non-pertinent",
    },
    "industry": {
        "A1": "prepubescent minor, sex act",
        "A2": "prepubescent minor, lascivious exhibition",
        "B1": "pubescent minor, sex act",
        "B2": "pubescent minor, lascivious exhibition",
    },
    "nsrl": {
        "M": "flagged malicious",
        "S": "flagged special",
        "T": "a tool product (Kavach's tool rules)",
    },
}


def category_name(scheme: str, raw: str | None) -> str | None:
    """The published meaning of ``raw`` under ``scheme``, when there is one."""
    return CATEGORY_NAMES.get(scheme, {}).get((raw or "").strip().upper())


def status_for(scheme: str, raw: str | None, role: Role) -> Status:
    """The internal status of ``raw`` under ``scheme``."""
    try:
        mapper = SCHEMES[scheme]
    except KeyError:
        known = ", ".join(sorted(SCHEMES))
        raise ValueError(
            f"unknown category scheme {scheme!r} (known: {known})"
        ) from None
    return mapper(raw, role)
