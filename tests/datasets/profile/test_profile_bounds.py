"""Distinct-count bounds from the Parquet statistics, and the profile figures they feed."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from chatdata.datasets.profile import profile_parquet
from chatdata.datasets.profile_bounds import distinct_bounds
from chatdata.datasets.profile_duckdb import column_specs, profile_connection
from tests.datasets.profile.helpers import WriteParquet, column

ROWS = 3_000  # three row groups of 1000


def _frame() -> pl.DataFrame:
    days = [date(2024, 1, 1) + timedelta(days=i % 30) for i in range(ROWS)]
    return pl.DataFrame(
        {
            "flag": [i % 3 == 0 for i in range(ROWS)],
            "code": [100 + i % 49 for i in range(ROWS)],
            "day": days,
            "wide": [i * 1_000 for i in range(ROWS)],
            "late": [None] * 1000 + [i % 5 for i in range(ROWS - 1000)],  # first group all null
            "empty": pl.Series([None] * ROWS, dtype=pl.Int64),
            "ratio": [i / 7 for i in range(ROWS)],
            "word": [f"w{i % 4}" for i in range(ROWS)],
        }
    )


def test_bounds_come_from_the_statistics_of_every_row_group(write_parquet: WriteParquet) -> None:
    path = write_parquet(_frame())
    schema = pl.scan_parquet(path).collect_schema()
    with profile_connection("256MB", 1) as connection:
        specs = column_specs(connection, path, schema)
    positions = {spec.name: spec.position for spec in specs}
    bounds = {
        name: bound
        for name, position in positions.items()
        if (bound := distinct_bounds(path, specs, 10_000).get(position)) is not None
    }
    # a span is an upper bound: 100..148 has 49 values, the days 30, "late" 0..4 five
    assert bounds == {"flag": 2, "code": 49, "day": 30, "late": 5}
    assert "wide" not in distinct_bounds(path, specs, 10_000)  # its span is 3 million
    tight = distinct_bounds(path, specs, 29)
    assert {name for name, position in positions.items() if position in tight} == {"flag", "late"}


def test_a_nested_column_turns_the_bounds_off(write_parquet: WriteParquet) -> None:
    path = write_parquet(pl.DataFrame({"tags": [[1], [2]], "code": [1, 2]}))
    schema = pl.scan_parquet(path).collect_schema()
    with profile_connection("256MB", 1) as connection:
        specs = column_specs(connection, path, schema)
    assert distinct_bounds(path, specs, 10_000) == {}


@pytest.mark.parametrize("exact_row_limit", [10_000_000, 100])
def test_bounded_columns_get_exact_distinct_counts_and_top_values(
    write_parquet: WriteParquet, exact_row_limit: int
) -> None:
    profile = profile_parquet(write_parquet(_frame()), exact_row_limit=exact_row_limit)
    expected = {"flag": 2, "code": 49, "day": 30, "late": 5, "empty": 0, "word": 4}
    assert {name: column(profile, name).distinct_count for name in expected} == expected
    assert column(profile, "flag").top_values == [
        {"value": False, "count": 2000},
        {"value": True, "count": 1000},
    ]
    assert column(profile, "code").top_values[0] == {"value": 100, "count": 62}
    assert column(profile, "day").top_values[0] == {"value": "2024-01-01", "count": 100}
    assert column(profile, "late").null_count == 1000
    assert profile.approximate == (
        [] if exact_row_limit > ROWS else ["distinct_count", "quantiles", "duplicate_rows"]
    )
