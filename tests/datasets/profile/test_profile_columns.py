"""Top values, temporal columns, semantic types and the approximate mode."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from chatdata.datasets.profile_models import DatasetProfile
from tests.datasets.profile.helpers import column

ProfileFrame = Callable[..., DatasetProfile]


def test_top_values_rank_by_count_then_value(profile_frame: ProfileFrame) -> None:
    cities = ["Rome"] * 5 + ["Lima"] * 3 + ["Oslo"] * 3 + ["Baku"] + [None] * 2
    city = column(profile_frame(pl.DataFrame({"city": cities})), "city")
    assert city.top_values == [
        {"value": "Rome", "count": 5},
        {"value": "Lima", "count": 3},
        {"value": "Oslo", "count": 3},
        {"value": "Baku", "count": 1},
    ]
    assert city.distinct_count == 4 and city.null_count == 2
    assert city.sample_values == ["Rome", "Lima", "Oslo", "Baku"]
    assert city.semantic_type == "category"
    assert (city.min, city.max, city.histogram, city.quantiles) == (None, None, None, None)


def test_high_cardinality_top_values_are_exact(profile_frame: ProfileFrame) -> None:
    codes = [f"K{i:05d}" for i in range(12_000)] + ["K00007"] * 4 + ["K00003"] * 2
    serials = list(range(12_006))
    profile = profile_frame(pl.DataFrame({"code": codes, "serial": serials}))
    code = column(profile, "code")
    assert code.distinct_count == 12_000
    assert code.top_values[:3] == [
        {"value": "K00007", "count": 5},
        {"value": "K00003", "count": 3},
        {"value": "K00000", "count": 1},
    ]
    assert len(code.top_values) == 10
    serial = column(profile, "serial")
    assert serial.top_values == [{"value": value, "count": 1} for value in range(10)]
    assert serial.semantic_type == "id" and code.semantic_type is None
    assert profile.approximate == []


def test_dates_and_datetimes(profile_frame: ProfileFrame) -> None:
    days = [date(2024, 1, 1) + timedelta(days=3 * i) for i in range(100)] + [None]
    moments = [datetime(2024, 5, 1, 8, 0) + timedelta(hours=i) for i in range(100)] + [None]
    profile = profile_frame(pl.DataFrame({"day": days, "moment": moments}))
    day = column(profile, "day")
    assert (day.logical_type, day.min, day.max) == ("date", "2024-01-01", "2024-10-24")
    # temporal quantiles are actual values: numpy's "inverted_cdf" method
    offsets = np.percentile(np.arange(100), [5, 50, 95], method="inverted_cdf")
    expected = [(date(2024, 1, 1) + timedelta(days=3 * int(k))).isoformat() for k in offsets]
    assert day.quantiles is not None
    assert [day.quantiles["p05"], day.quantiles["p50"], day.quantiles["p95"]] == expected
    assert day.histogram is not None
    assert day.histogram["edges"][:2] == ["2024-01-01", "2024-01-16"]
    assert sum(day.histogram["counts"]) == 100  # type: ignore[arg-type]
    assert day.top_values[0] == {"value": "2024-01-01", "count": 1}
    moment = column(profile, "moment")
    assert moment.logical_type == "datetime" and moment.dtype.startswith("Datetime")
    assert (moment.min, moment.max) == ("2024-05-01T08:00:00", "2024-05-05T11:00:00")
    assert moment.histogram is not None and moment.histogram["counts"] == [5] * 20


def test_boolean_column(profile_frame: ProfileFrame) -> None:
    flag = column(profile_frame(pl.DataFrame({"paid": [True, False, True, None]})), "paid")
    assert flag.logical_type == "boolean" and flag.distinct_count == 2
    assert flag.top_values == [{"value": True, "count": 2}, {"value": False, "count": 1}]
    assert (flag.mean, flag.histogram) == (None, None)


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("customer_id", [5, 5, 7, 9], "id"),
        ("row", [10, 11, 12, 13, 14], "id"),
        (
            "ref",
            ["3f2b6c1e-8a4d-4c2b-9f1e-0a1b2c3d4e5f", "9d8c7b6a-5f4e-4d3c-8b2a-1a2b3c4d5e6f"],
            "id",
        ),
        ("site", ["https://example.com/a", "http://www.example.org/b?x=1"], "url"),
        ("opened", ["2024-01-05", "2023-12-31", "2024-02-29"], "date"),
        ("price_text", ["$1,234.50", "$12.00", "$7.25"], "currency"),
        ("unit_price", [9.99, 12.5, 3.0], "currency"),
        ("growth", ["12.5%", "-3%", "40 %"], "percentage"),
        ("conversion_rate", [0.12, 0.5, 0.98], "percentage"),
        ("temperature", [12.5, 30.1, -4.0], None),
        ("status", ["open", "closed", "open", "open", "closed", "open"], "category"),
        (
            "comment",
            [f"The delivery number {i} arrived late but the staff were kind" for i in range(6)],
            "free_text",
        ),
    ],
)
def test_semantic_types(
    profile_frame: ProfileFrame, name: str, values: list[object], expected: str | None
) -> None:
    assert column(profile_frame(pl.DataFrame({name: values})), name).semantic_type == expected


def test_above_the_exact_limit_figures_are_flagged_and_close(profile_frame: ProfileFrame) -> None:
    rows = 24_000
    frame = pl.DataFrame(
        {
            "order_id": range(rows),
            "customer": [i % 10_500 for i in range(rows)],
            "amount": [float(i % 997) for i in range(rows)],
            "shop": [f"shop{i % 5}" for i in range(rows)],
        }
    )
    frame = pl.concat([frame, frame.head(300)])
    approximate = profile_frame(frame, exact_row_limit=1000)
    exact = profile_frame(frame)
    assert exact.approximate == []
    assert approximate.approximate == [
        "distinct_count",
        "quantiles",
        "top_values",
        "duplicate_rows",
    ]
    assert approximate.rows == exact.rows == 24_300
    assert exact.duplicate_rows == 300
    assert approximate.duplicate_rows == pytest.approx(300, rel=0.5)
    order_id, exact_order_id = column(approximate, "order_id"), column(exact, "order_id")
    assert exact_order_id.distinct_count == 24_000
    assert order_id.distinct_count == pytest.approx(24_000, rel=0.05)
    assert order_id.top_values == [{"value": value, "count": 1} for value in range(10)]
    assert (order_id.min, order_id.max) == (exact_order_id.min, exact_order_id.max)
    assert order_id.mean == pytest.approx(exact_order_id.mean, rel=1e-12)
    assert order_id.histogram == exact_order_id.histogram
    assert order_id.quantiles is not None and exact_order_id.quantiles is not None
    assert order_id.quantiles["p50"] == pytest.approx(exact_order_id.quantiles["p50"], rel=0.05)
    shop = column(approximate, "shop")
    assert shop.distinct_count == 5 and shop.top_values == column(exact, "shop").top_values
    customer = column(approximate, "customer")  # sampled candidates, counted exactly
    assert customer.top_values == [{"value": value, "count": 4} for value in range(10)]
    assert customer.top_values == column(exact, "customer").top_values
