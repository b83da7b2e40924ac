"""Deterministic masking of PII values: enough shape to recognise, never the full value.

`mask_value("john.doe@example.com", "email") == "j***@e***.com"`; phones keep their last
2-4 digits, cards show `**** **** **** 1234`, IDs and IBANs keep their last 4
characters, IPv4 keeps the first two octets (`192.168.*.*`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping

STARS = "***"


def mask_value(value: object, kind: str) -> str:
    """Mask one value of a column of PII `kind`; the same input always gives the same output."""
    text = _as_text(value)
    masker = MASKERS.get(kind, _mask_fully)
    return masker(text)


def mask_rows(
    rows: list[dict[str, object]], pii_by_column: Mapping[str, str]
) -> list[dict[str, object]]:
    """Copies of `rows` with each PII column (name -> kind) masked; nulls stay null."""
    masked_rows: list[dict[str, object]] = []
    for row in rows:
        masked = dict(row)
        for column, kind in pii_by_column.items():
            if column in masked and masked[column] is not None:
                masked[column] = mask_value(masked[column], kind)
        masked_rows.append(masked)
    return masked_rows


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _mask_email(text: str) -> str:
    local, at, domain = text.rpartition("@")
    if not at:
        return _mask_keep_last(text, 2)
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    masked_domain = f"{host[:1]}{STARS}" + (f".{tld}" if tld else "")
    return f"{local[:1]}{STARS}@{masked_domain}"


def _mask_phone(text: str) -> str:
    digit_count = sum(char.isdigit() for char in text)
    keep = 4 if digit_count >= 10 else 3 if digit_count >= 7 else 2
    return _mask_keep_last(text, min(keep, digit_count // 2), keep_chars=str.isdigit)


def _mask_card(text: str) -> str:
    digits = "".join(char for char in text if char.isdigit())
    return f"**** **** **** {digits[-4:]}" if len(digits) >= 8 else _mask_fully(text)


def _mask_identifier(text: str) -> str:
    alnum_count = sum(char.isalnum() for char in text)
    return _mask_keep_last(text, min(4, alnum_count // 2), keep_chars=str.isalnum)


def _mask_ip(text: str) -> str:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return _mask_fully(text)
    if address.version == 4:
        first, second = text.split(".")[:2]
        return f"{first}.{second}.*.*"
    groups = address.exploded.split(":")
    return ":".join([groups[0], groups[1], *("*" * 6)])


def _mask_person_name(text: str) -> str:
    words = text.split()
    return " ".join(f"{word[:1]}{STARS}" for word in words) if words else STARS


def _mask_address(text: str) -> str:
    head, comma, last = text.rpartition(",")
    if comma and head.strip() and last.strip():
        return f"{STARS}, {last.strip()}"
    if text[:1] and "\u4e00" <= text[0] <= "\u9fff":
        return f"{text[:3]}{STARS}"
    return STARS


def _mask_fully(text: str) -> str:
    return STARS


def _mask_keep_last(
    text: str, keep: int, *, keep_chars: Callable[[str], bool] = str.isalnum
) -> str:
    """Replace every `keep_chars` character except the last `keep` with `*`."""
    total = sum(keep_chars(char) for char in text)
    hidden = total - keep
    masked: list[str] = []
    for char in text:
        if keep_chars(char) and hidden > 0:
            masked.append("*")
            hidden -= 1
        else:
            masked.append(char)
    return "".join(masked)


MASKERS: dict[str, Callable[[str], str]] = {
    "email": _mask_email,
    "phone": _mask_phone,
    "payment_card": _mask_card,
    "national_id": _mask_identifier,
    "iban": _mask_identifier,
    "ip_address": _mask_ip,
    "person_name": _mask_person_name,
    "address": _mask_address,
}
