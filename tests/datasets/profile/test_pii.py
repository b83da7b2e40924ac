"""PII detection per kind: positives, look-alikes that must not match, and thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from chatdata.datasets.pii import detect_pii
from chatdata.datasets.pii_validators import (
    is_cn_resident_id,
    is_iban,
    is_payment_card,
    is_phone,
    luhn_valid,
)

VALID_CARDS = ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "4012888888881881"]
VALID_IBANS = [
    "GB82 WEST 1234 5698 7654 32",
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
]


def with_cn_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, check value (12 - sum mod 11) mod 11."""
    total = sum(int(digit) * pow(2, 17 - index, 11) for index, digit in enumerate(first17))
    check = (12 - total % 11) % 11
    return first17 + ("X" if check == 10 else str(check))


VALID_CN_IDS = [
    "11010519491231002X",
    with_cn_check_char("44030519850612123"),
    with_cn_check_char("31011520000229456"),
]


def kind_of(name: str, values: list[object]) -> str | None:
    finding = detect_pii(name, values)
    return finding.kind if finding else None


@pytest.mark.parametrize(
    ("name", "values", "kind"),
    [
        ("contact", ["john.doe@example.com", "a.b@mail.co.uk", "x+y@corp.io"], "email"),
        ("mobile", ["13812345678", "13987654321", "15012345678"], "phone"),
        ("contact", ["+86 138 1234 5678", "+8613912345678", "0086 150 1234 5678"], "phone"),
        ("contact", ["(650) 253-0000", "+1 650-253-0000", "650.253.0000"], "phone"),
        ("mobile", [13812345678, 13987654321, 15012345678], "phone"),
        ("ssn", ["123-45-6789", "219-09-9999", "078-05-1120"], "national_id"),
        ("citizen", VALID_CN_IDS, "national_id"),
        ("pan", VALID_CARDS, "payment_card"),
        ("account", VALID_IBANS, "iban"),
        (
            "host",
            ["192.168.1.20", "10.0.0.1", "2001:db8::1", "fe80::1ff:fe23:4567:890a"],
            "ip_address",
        ),
    ],
)
def test_value_kinds_are_detected(name: str, values: list[object], kind: str) -> None:
    finding = detect_pii(name, values)
    assert finding is not None
    assert (finding.kind, finding.method, finding.matched_share) == (kind, "values", 1.0)
    assert 0.8 <= finding.confidence <= 1.0


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("weight_grams", [1234567.0, 2345678.5, 13812.25, 998877.0]),
        ("reading", [2125550142, 4155552671, 6502530000, 3105551234]),
        ("reading", ["2125550142", "4155552671", "6502530000", "3105551234"]),
        ("opened", ["2024-01-05", "2023-12-31", "2024-02-29"]),
        ("card_like", ["4111111111111112", "1234567812345678", "5500000000000005"]),
        ("account", ["GB82 WEST 1234 5698 7654 33", "DE89370400440532013001"]),
        ("citizen", ["11010519491231002Y", "110105194912310021", "440524188001010015"]),
        ("ssn_like", ["000-12-3456", "666-12-3456", "123-00-4567"]),
        ("version", ["999.1.1.1", "1.2.3", "10.0.0.256"]),
        ("product_name", ["Blue Chair", "Red Table", "Lamp"]),
    ],
)
def test_look_alikes_are_not_pii(name: str, values: list[object]) -> None:
    assert detect_pii(name, values) is None


def test_random_sixteen_digit_numbers_are_not_cards() -> None:
    rng = np.random.default_rng(3)
    numbers = [
        str(value) for value in rng.integers(4_000_000_000_000_000, 4_999_999_999_999_999, 500)
    ]
    assert 0.05 < sum(luhn_valid(number) for number in numbers) / 500 < 0.2
    assert detect_pii("reference", numbers) is None


def test_random_measurements_are_not_phones() -> None:
    rng = np.random.default_rng(5)
    measured = rng.integers(1_000_000_000, 9_999_999_999, 1000).tolist()
    assert detect_pii("sensor_value", measured) is None
    assert detect_pii("sensor_value", rng.normal(5e9, 1e9, 1000).tolist()) is None


def test_a_clear_share_is_needed() -> None:
    emails = ["ann@example.com", "bob@example.com", "cy@example.com"]
    assert detect_pii("notes", [*emails, "n/a", "unknown", "-"]) is None
    finding = detect_pii("notes", [*emails, *emails, "n/a", None, None, "-", "ok", "x@y.org"])
    assert finding is not None
    assert (finding.kind, finding.matched_share, finding.method) == ("email", 0.7, "values")
    assert finding.confidence == pytest.approx(0.97 * 0.7, abs=1e-3)


def test_header_hint_raises_confidence_and_admits_bare_digits() -> None:
    plain = detect_pii("contact", ["13812345678", "13987654321"])
    hinted = detect_pii("phone_number", ["13812345678", "13987654321"])
    assert plain is not None and hinted is not None
    assert hinted.confidence == pytest.approx(plain.confidence + 0.05)
    assert kind_of("phone", ["2125550142", "4155552671"]) == "phone"
    assert kind_of("ssn", ["123456789", "219099999"]) == "national_id"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("name", "person_name"),
        ("full_name", "person_name"),
        ("lastName", "person_name"),
        ("customer_name", "person_name"),
        ("姓名", "person_name"),
        ("address", "address"),
        ("shipping_address", "address"),
        ("Street", "address"),
        ("收货地址", "address"),
    ],
)
def test_names_and_addresses_by_header(name: str, kind: str) -> None:
    finding = detect_pii(name, ["Li Wei", "Maria Rossi", "张伟", "12 Via Roma, Milano"])
    assert finding is not None
    assert (finding.kind, finding.method, finding.matched_share) == (kind, "header", 1.0)
    assert finding.confidence < 0.7


def test_header_only_kinds_need_textual_values() -> None:
    assert detect_pii("name", [1, 2, 3, 4]) is None
    assert detect_pii("company_name", ["Acme", "Globex"]) is None
    assert kind_of("email_address", ["ann@example.com", "bob@example.com"]) == "email"
    assert detect_pii("name", []) is None
    assert detect_pii("name", [None, None]) is None


def test_checksums() -> None:
    assert all(is_payment_card(card) for card in VALID_CARDS)
    assert not is_payment_card("0000 0000 0000 0000")  # passes Luhn, but is no card
    assert all(is_iban(iban) for iban in VALID_IBANS)
    assert all(is_cn_resident_id(cn_id) for cn_id in VALID_CN_IDS)
    assert not is_cn_resident_id("11010520491231002X")  # born in the future
    assert is_phone("+44 20 7946 0958") and not is_phone("+44 20 7946")
