"""PII detection for one column from a sample of its values (and its header).

Value-checked kinds (email, phone, national_id, payment_card, iban, ip_address) need a
clear share of the sampled non-null values to match (`MATCH_SHARE_THRESHOLD`); person
names and addresses are recognised by header only, with a lower confidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from chatdata.datasets import pii_validators as check
from chatdata.datasets.pii_headers import header_suggests, is_address_header, is_person_name_header

MATCH_SHARE_THRESHOLD = 0.6
MAX_SAMPLE_VALUES = 3000
HEADER_BONUS = 0.05
TEXT_SHARE_THRESHOLD = 0.6

# how sure a single value match makes us, per kind (checksummed kinds are surest)
BASE_CONFIDENCE = {
    "email": 0.97,
    "ip_address": 0.95,
    "iban": 0.97,
    "national_id": 0.9,
    "payment_card": 0.95,
    "phone": 0.85,
}
HEADER_ONLY_CONFIDENCE = {"person_name": 0.6, "address": 0.55}

Matchers = list[tuple[str, Callable[[str], bool]]]


@dataclass
class PiiFinding:
    """A column judged to hold personal data of one kind."""

    kind: str
    confidence: float
    matched_share: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict."""
        return asdict(self)


def detect_pii(column_name: str, values: Sequence[object]) -> PiiFinding | None:
    """Judge whether a column holds PII from its header and a sample of its values.

    Up to `MAX_SAMPLE_VALUES` non-null values are checked; a value kind wins when at
    least 60% of them match it. Otherwise a person-name or address header on a column
    of mostly textual values gives a header-based finding."""
    sample = [value for value in values if value is not None][:MAX_SAMPLE_VALUES]
    if not sample:
        return None
    texts = [check.as_text(value) for value in sample]
    finding = _value_finding(column_name, texts)
    if finding is not None:
        return finding
    return _header_finding(column_name, texts)


def _value_finding(column_name: str, texts: list[str | None]) -> PiiFinding | None:
    matchers = _matchers(column_name)
    counts: Counter[str] = Counter()
    for text in texts:
        kind = _first_matching_kind(text, matchers) if text else None
        if kind is not None:
            counts[kind] += 1
    if not counts:
        return None
    kind, matched = counts.most_common(1)[0]
    share = matched / len(texts)
    if share < MATCH_SHARE_THRESHOLD:
        return None
    bonus = HEADER_BONUS if header_suggests(column_name, kind) else 0.0
    confidence = min(1.0, BASE_CONFIDENCE[kind] * share + bonus)
    return PiiFinding(kind, round(confidence, 3), round(share, 4), "values")


def _matchers(column_name: str) -> Matchers:
    """Value checks in priority order; header hints relax the bare-digit rules."""
    ssn_hint = header_suggests(column_name, "national_id")
    phone_hint = header_suggests(column_name, "phone")
    return [
        ("email", check.is_email),
        ("ip_address", check.is_ip_address),
        ("iban", check.is_iban),
        ("national_id", lambda text: check.is_national_id(text, header_hint=ssn_hint)),
        ("payment_card", check.is_payment_card),
        ("phone", lambda text: check.is_phone(text, header_hint=phone_hint)),
    ]


def _first_matching_kind(
    text: str, matchers: list[tuple[str, Callable[[str], bool]]]
) -> str | None:
    for kind, matches in matchers:
        if matches(text):
            return kind
    return None


def _header_finding(column_name: str, texts: list[str | None]) -> PiiFinding | None:
    if is_person_name_header(column_name):
        kind = "person_name"
    elif is_address_header(column_name):
        kind = "address"
    else:
        return None
    textual = sum(1 for text in texts if text and any(char.isalpha() for char in text))
    share = textual / len(texts)
    if share < TEXT_SHARE_THRESHOLD:
        return None
    confidence = HEADER_ONLY_CONFIDENCE[kind] * share
    return PiiFinding(kind, round(confidence, 3), round(share, 4), "header")
