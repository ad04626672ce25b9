"""Normalising the identifiers a tip carries, so equal people compare equal.

Phones become E.164 (India when no country is given), e-mails lower case with the
domain in IDNA, screen names and ESP user ids keep the service they belong to, and
device ids are checked where a check exists (an IMEI's Luhn digit). A value that
cannot be what it claims raises ``IdentifierError``; the caller names the file, row
and field.
"""

from __future__ import annotations

import re

from kavach.tips.model import SERVICE_KINDS, Identifier, IdentifierKind

DEFAULT_REGION = "IN"
_DEVICE_KINDS = {
    "imei",
    "meid",
    "imeisv",
    "android_id",
    "idfa",
    "idfv",
    "mac",
    "serial",
}


class IdentifierError(ValueError):
    """A value that is not the identifier it claims to be."""


def normalise(
    kind: IdentifierKind, value: str, service: str | None = None
) -> Identifier:
    """The normalised identifier, or ``IdentifierError`` saying what is wrong."""
    text = value.strip()
    if not text:
        raise IdentifierError(f"empty {kind.value}")
    if kind is IdentifierKind.PHONE:
        return Identifier(kind, phone(text))
    if kind is IdentifierKind.EMAIL:
        return Identifier(kind, email(text))
    if kind is IdentifierKind.DEVICE_ID:
        return Identifier(kind, device_id(text))
    if kind in SERVICE_KINDS:
        return Identifier(kind, account(text), service_name(service))
    raise IdentifierError(f"unknown identifier kind {kind!r}")  # pragma: no cover


def phone(text: str, region: str = DEFAULT_REGION) -> str:
    """``+<country><number>``; a number without a country code is Indian."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError(f"{text!r} is not a phone number ({exc})") from None
    if not phonenumbers.is_valid_number(number):
        raise IdentifierError(f"{text!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email(text: str) -> str:
    """Lower case, the domain in IDNA (``ജി.ഭാരതം`` and ``xn--...`` compare equal)."""
    local, at, domain = text.strip().rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in text):
        raise IdentifierError(f"{text!r} is not an e-mail address")
    try:
        ascii_domain = domain.lower().encode("idna").decode("ascii")
    except UnicodeError:
        raise IdentifierError(f"{text!r} has an invalid domain") from None
    return f"{local.lower()}@{ascii_domain}"


def account(text: str) -> str:
    """A screen name or user id: trimmed, one leading ``@`` dropped, lower case.

    Services treat handles case-insensitively, so ``@Raju_K`` and ``raju_k`` on the
    same service are one account.
    """
    return text.strip().removeprefix("@").strip().lower()


def service_name(service: str | None) -> str:
    """The service an account lives on, lower case; unknown when not said."""
    cleaned = (service or "").strip().lower()
    return cleaned or "unknown"


def device_id(text: str) -> str:
    """``TYPE:value``; a bare 14–16 digit value is an IMEI (Luhn-checked)."""
    kind, colon, value = text.partition(":")
    if not colon:
        kind, value = "imei", text
    kind = kind.strip().lower().replace(" ", "_")
    value = value.strip()
    if kind not in _DEVICE_KINDS:
        known = ", ".join(sorted(_DEVICE_KINDS))
        raise IdentifierError(f"unknown device id type {kind!r} (known: {known})")
    if kind == "imei":
        value = imei(value)
    elif kind == "mac":
        value = mac(value)
    elif not value:
        raise IdentifierError(f"empty {kind} device id")
    else:
        value = value.lower()
    return f"{kind.upper()}:{value}"


def imei(text: str) -> str:
    """15 digits with a valid Luhn check digit (one is added to 14 digits)."""
    digits = re.sub(r"[\s\-./]", "", text)
    if not digits.isdigit() or len(digits) not in (14, 15):
        raise IdentifierError(f"{text!r} is not an IMEI (14 or 15 digits)")
    if len(digits) == 14:
        return digits + str(luhn_digit(digits))
    if luhn_digit(digits[:14]) != int(digits[14]):
        raise IdentifierError(f"{text!r} is not an IMEI (check digit fails)")
    return digits


def luhn_digit(body: str) -> int:
    """The Luhn check digit for ``body`` (every second digit from the right doubled)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def mac(text: str) -> str:
    hexes = re.sub(r"[\s:\-.]", "", text).lower()
    if len(hexes) != 12 or any(c not in "0123456789abcdef" for c in hexes):
        raise IdentifierError(f"{text!r} is not a MAC address")
    return ":".join(hexes[i : i + 2] for i in range(0, 12, 2))


def ip_address(text: str) -> str:
    """The compressed form of an IPv4 or IPv6 address."""
    import ipaddress

    try:
        return ipaddress.ip_address(text.strip()).compressed
    except ValueError:
        raise IdentifierError(f"{text!r} is not an IP address") from None
