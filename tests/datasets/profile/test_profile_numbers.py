"""Exact per-column figures of numeric columns, checked against numpy."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import polars as pl
import pytest

from chatdata.datasets.profile_models import DatasetProfile
from tests.datasets.profile.helpers import column

ProfileFrame = Callable[..., DatasetProfile]
LEVELS = {"p05": 5, "p25": 25, "p50": 50, "p75": 75, "p95": 95}


@pytest.fixture
def measurements() -> pl.DataFrame:
    rng = np.random.default_rng(42)
    values = rng.normal(100.0, 15.0, 2500).round(3)
    counts = rng.integers(-50, 300, 2500)
    frame = pl.DataFrame({"weight": values, "count": counts})
    nulls = pl.Series([i % 10 == 0 for i in range(2500)])
    return frame.with_columns(
        pl.when(nulls).then(None).otherwise(pl.col("weight")).alias("weight"),
        pl.when(pl.arange(0, 2500) % 7 == 0).then(None).otherwise(pl.col("count")).alias("count"),
    )


def test_float_column_figures_match_numpy(
    profile_frame: ProfileFrame, measurements: pl.DataFrame
) -> None:
    weights = measurements.get_column("weight").drop_nulls().to_numpy()
    weight = column(profile_frame(measurements), "weight")
    assert weight.dtype == "Float64" and weight.logical_type == "float"
    assert weight.null_count == 250 and weight.null_share == 0.1 and weight.nullable
    assert weight.distinct_count == len(np.unique(weights))
    assert weight.min == weights.min() and weight.max == weights.max()
    assert weight.mean == pytest.approx(weights.mean(), rel=1e-12)
    assert weight.std == pytest.approx(weights.std(ddof=1), rel=1e-9)
    assert weight.quantiles is not None and weight.histogram is not None
    for name, percent in LEVELS.items():
        assert weight.quantiles[name] == pytest.approx(np.percentile(weights, percent), rel=1e-12)
    counts, edges = np.histogram(weights, bins=20)
    assert weight.histogram["counts"] == counts.tolist()
    assert weight.histogram["edges"] == pytest.approx(edges.tolist(), rel=1e-12)
    assert sum(weight.histogram["counts"]) == len(weights)  # type: ignore[arg-type]


def test_integer_column_figures_and_integer_bins(
    profile_frame: ProfileFrame, measurements: pl.DataFrame
) -> None:
    counts = measurements.get_column("count").drop_nulls().to_numpy()
    count = column(profile_frame(measurements), "count")
    assert count.logical_type == "integer" and count.dtype == "Int64"
    assert count.null_count == 358
    assert (count.min, count.max) == (int(counts.min()), int(counts.max()))
    assert count.distinct_count == len(np.unique(counts))
    assert count.mean == pytest.approx(counts.mean(), rel=1e-12)
    assert count.std == pytest.approx(counts.std(ddof=1), rel=1e-9)
    assert count.quantiles is not None and count.histogram is not None
    assert count.quantiles["p50"] == pytest.approx(np.percentile(counts, 50), rel=1e-12)
    edges = np.array(count.histogram["edges"], dtype=np.int64)
    width = edges[1] - edges[0]
    assert edges[0] == counts.min() and edges[-1] > counts.max()
    expected = [int(((counts >= low) & (counts < low + width)).sum()) for low in edges[:-1]]
    assert count.histogram["counts"] == expected
    assert sum(expected) == len(counts)


def test_small_integer_range_gets_one_bin_per_value(profile_frame: ProfileFrame) -> None:
    frame = pl.DataFrame({"rating": [1, 2, 2, 3, 3, 3, 5, None]})
    rating = column(profile_frame(frame), "rating")
    assert rating.histogram == {"edges": [1, 2, 3, 4, 5, 6], "counts": [1, 2, 3, 0, 1]}
    assert rating.top_values == [
        {"value": 3, "count": 3},
        {"value": 2, "count": 2},
        {"value": 1, "count": 1},
        {"value": 5, "count": 1},
    ]
    expected = {name: np.percentile([1, 2, 2, 3, 3, 3, 5], q) for name, q in LEVELS.items()}
    assert rating.quantiles == pytest.approx(expected, rel=1e-12)


def test_nan_and_infinity_are_left_out_of_numeric_figures(profile_frame: ProfileFrame) -> None:
    frame = pl.DataFrame({"ratio": [1.0, 2.0, float("nan"), float("inf"), None, 3.0]})
    ratio = column(profile_frame(frame), "ratio")
    assert ratio.null_count == 1
    assert (ratio.min, ratio.max, ratio.mean, ratio.std) == (1.0, 3.0, 2.0, 1.0)
    assert ratio.histogram is not None and sum(ratio.histogram["counts"]) == 3  # type: ignore[arg-type]
    assert ratio.quantiles is not None and ratio.quantiles["p50"] == 2.0
    assert {item["value"] for item in ratio.top_values} == {1.0, 2.0, 3.0}


def test_dataset_figures_and_duplicate_rows(profile_frame: ProfileFrame) -> None:
    frame = pl.DataFrame(
        {
            "city": ["Oslo", "Rome", "Oslo", "Oslo", "Lima", "Rome", None],
            "visits": [3, 1, 3, 3, 2, 1, None],
        }
    )
    profile = profile_frame(frame)
    assert (profile.rows, profile.columns) == (7, 2)
    assert profile.duplicate_rows == 3  # two more (Oslo, 3) and one more (Rome, 1)
    assert profile.approximate == []
    # string views + text bytes + validity bitmap, then 8-byte ints + validity bitmap
    assert profile.memory_bytes == 7 * 16 + 24 + 1 + 7 * 8 + 1
    assert profile.file_size > 0
    json.dumps(profile.to_dict())


def test_empty_and_all_null_columns(profile_frame: ProfileFrame) -> None:
    frame = pl.DataFrame({"nothing": [None, None, None]}, schema={"nothing": pl.Float64})
    nothing = column(profile_frame(frame), "nothing")
    assert nothing.null_count == 3 and nothing.null_share == 1.0
    assert (nothing.min, nothing.mean, nothing.std, nothing.quantiles) == (None, None, None, None)
    assert nothing.histogram is None and nothing.top_values == []
    assert nothing.sample_values == []
    empty = profile_frame(pl.DataFrame({"x": []}, schema={"x": pl.Int64}))
    assert empty.rows == 0 and empty.duplicate_rows == 0
    assert column(empty, "x").null_share == 0.0
