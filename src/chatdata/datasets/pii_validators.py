"""Value-level PII checks: one function per kind, each answering "does this value match?".

Checks are strict on purpose (checksums, validity rules) so that measurements, codes
and random numbers are not mistaken for personal data.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date

import phonenumbers

EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$"
)
SSN_PATTERN = re.compile(r"^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$")
SSN_DIGITS_PATTERN = re.compile(r"^(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}$")
CN_ID_PATTERN = re.compile(r"^\d{17}[\dXx]$")
IBAN_PATTERN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")
CARD_SEPARATORS = re.compile(r"[ \-]")
PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-/]{7,24}$")
PHONE_SEPARATORS = re.compile(r"[\s().\-/]")
CN_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
ISO_DATE_LIKE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$")

CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CN_ID_CHECK_CHARS = "10X98765432"


def as_text(value: object) -> str | None:
    """The value as text for matching: integral floats lose `.0`; other floats give None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return None


def is_email(text: str) -> bool:
    """An address of the form local@domain.tld."""
    return len(text) <= 254 and EMAIL_PATTERN.match(text) is not None


def is_ip_address(text: str) -> bool:
    """An IPv4 dotted quad or an IPv6 address."""
    if "." not in text and ":" not in text:
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def is_iban(text: str) -> bool:
    """An IBAN (spaces allowed) whose mod-97 check gives 1."""
    compact = text.replace(" ", "").upper()
    if IBAN_PATTERN.match(compact) is None:
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def is_cn_resident_id(text: str) -> bool:
    """A Chinese resident ID: 18 chars, a real birth date, ISO 7064 mod 11-2 check char."""
    if CN_ID_PATTERN.match(text) is None:
        return False
    if not _valid_birth_date(text[6:14]):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(text[:17], CN_ID_WEIGHTS, strict=True))
    return CN_ID_CHECK_CHARS[total % 11] == text[17].upper()


def _valid_birth_date(digits: str) -> bool:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def is_us_ssn(text: str, *, header_hint: bool = False) -> bool:
    """A US SSN `123-45-6789`; nine bare digits count only when the header says SSN."""
    if SSN_PATTERN.match(text):
        return True
    return header_hint and SSN_DIGITS_PATTERN.match(text) is not None


def is_national_id(text: str, *, header_hint: bool = False) -> bool:
    """A US SSN or a Chinese resident ID."""
    return is_cn_resident_id(text) or is_us_ssn(text, header_hint=header_hint)


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn (mod 10) check."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def is_payment_card(text: str) -> bool:
    """13-19 digits (spaces/dashes allowed) with a card-network first digit and Luhn."""
    digits = CARD_SEPARATORS.sub("", text)
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        return False
    if digits[0] not in "23456" or len(set(digits)) == 1:
        return False
    return luhn_valid(digits)


def is_phone(text: str, *, header_hint: bool = False) -> bool:
    """A valid phone number (via `phonenumbers`): international, formatted, or a CN mobile.

    Bare digit strings (how measurements and codes look) count only when they are a
    Chinese mobile number or when the header says phone."""
    if PHONE_SHAPE.match(text) is None or ISO_DATE_LIKE.match(text):
        return False
    digits = PHONE_SEPARATORS.sub("", text).lstrip("+")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        return False
    if text.startswith("+") or text.startswith("00"):
        return _valid_number("+" + digits.removeprefix("00"), None)
    if CN_MOBILE_PATTERN.match(digits):
        return _valid_number(digits, "CN")
    formatted = digits != text
    if not (formatted or header_hint):
        return False
    return _valid_number(text, "US") or _valid_number(text, "CN")


def _valid_number(text: str, region: str | None) -> bool:
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed))
