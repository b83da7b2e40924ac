"""Masking of PII values and rows, and that profiles never carry raw PII values."""

from __future__ import annotations

import json
from collections.abc import Callable

import polars as pl
import pytest

from chatdata.datasets.masking import mask_rows, mask_value
from chatdata.datasets.profile_models import DatasetProfile
from tests.datasets.profile.helpers import column

ProfileFrame = Callable[..., DatasetProfile]


@pytest.mark.parametrize(
    ("value", "kind", "masked"),
    [
        ("john.doe@example.com", "email", "j***@e***.com"),
        ("a@b.co.uk", "email", "a***@b***.uk"),
        ("13812345678", "phone", "*******5678"),
        (13812345678, "phone", "*******5678"),
        (13812345678.0, "phone", "*******5678"),
        ("+86 138 1234 5678", "phone", "+** *** **** 5678"),
        ("(650) 253-0000", "phone", "(***) ***-0000"),
        ("555-1234", "phone", "***-*234"),
        ("4111 1111 1111 1111", "payment_card", "**** **** **** 1111"),
        ("378282246310005", "payment_card", "**** **** **** 0005"),
        ("123-45-6789", "national_id", "***-**-6789"),
        ("11010519491231002X", "national_id", "**************002X"),
        ("GB82 WEST 1234 5698 7654 32", "iban", "**** **** **** **** **54 32"),
        ("192.168.1.20", "ip_address", "192.168.*.*"),
        ("2001:db8::1", "ip_address", "2001:0db8:*:*:*:*:*:*"),
        ("John Smith", "person_name", "J*** S***"),
        ("张伟", "person_name", "张***"),
        ("12 Via Roma, Milano", "address", "***, Milano"),
        ("北京市朝阳区建国路88号", "address", "北京市***"),
        ("221B Baker Street", "address", "***"),
        ("anything", "unknown_kind", "***"),
    ],
)
def test_mask_value(value: object, kind: str, masked: str) -> None:
    assert mask_value(value, kind) == masked
    assert mask_value(value, kind) == mask_value(value, kind)
    assert str(value) != masked


def test_short_values_are_never_shown_whole() -> None:
    assert mask_value("1234", "national_id") == "**34"
    assert mask_value("12", "phone") == "*2"
    assert mask_value("7", "phone") == "*"


def test_mask_rows_masks_only_pii_columns_and_keeps_nulls() -> None:
    rows: list[dict[str, object]] = [
        {"id": 1, "email": "ann@example.com", "phone": "13812345678"},
        {"id": 2, "email": None, "phone": "15012345678"},
    ]
    masked = mask_rows(rows, {"email": "email", "phone": "phone", "absent": "email"})
    assert masked == [
        {"id": 1, "email": "a***@e***.com", "phone": "*******5678"},
        {"id": 2, "email": None, "phone": "*******5678"},
    ]
    assert rows[0]["email"] == "ann@example.com"


def test_profile_of_pii_columns_holds_no_raw_values(profile_frame: ProfileFrame) -> None:
    emails = [f"person{i}@example.com" for i in range(30)] + ["person0@example.com"] * 5
    phones = [13812340000 + i for i in range(35)]
    frame = pl.DataFrame({"email": emails, "mobile": phones, "note": ["ok"] * 35})
    profile = profile_frame(frame)
    dumped = json.dumps(profile.to_dict(), ensure_ascii=False)
    assert "person" not in dumped and "1381234" not in dumped
    email = column(profile, "email")
    assert email.pii is not None and email.pii.kind == "email"
    assert email.semantic_type == "email"
    assert email.top_values[0] == {"value": "p***@e***.com", "count": 6}
    assert email.sample_values == ["p***@e***.com"] * 5
    mobile = column(profile, "mobile")
    assert mobile.pii is not None and (mobile.pii.kind, mobile.semantic_type) == ("phone", "phone")
    assert (mobile.min, mobile.max) == ("*******0000", "*******0034")
    assert (mobile.mean, mobile.std, mobile.quantiles, mobile.histogram) == (None,) * 4
    assert column(profile, "note").pii is None
