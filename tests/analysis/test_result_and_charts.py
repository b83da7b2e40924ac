"""The result shape, JSON safety and the chart builders."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import polars as pl

from chatdata.analysis import charts
from chatdata.analysis.frames import collect_sample
from chatdata.analysis.result import AnalysisResult, json_safe, make_table


def test_json_safe_unwraps_numpy_and_nulls_non_finite_numbers() -> None:
    value = {
        "a": np.float64(1.5),
        "b": np.int32(3),
        "c": float("nan"),
        "d": [np.inf, np.bool_(True)],
        "e": dt.date(2024, 1, 2),
        "f": np.array([1, 2]),
        3: (1, 2),
    }
    assert json_safe(value) == {
        "a": 1.5,
        "b": 3,
        "c": None,
        "d": [None, True],
        "e": "2024-01-02",
        "f": [1, 2],
        "3": [1, 2],
    }


def test_analysis_result_is_json_safe_on_construction() -> None:
    result = AnalysisResult(
        kind="k",
        summary="s",
        data={"p": np.float64(math.nan)},
        tables=[make_table("t", ["x"], [[np.int64(1)]])],
        sample_note="computed on a sample",
    )
    assert result.data == {"p": None}
    assert result.to_dict() == {
        "kind": "k",
        "summary": "s",
        "data": {"p": None},
        "tables": [{"title": "t", "columns": ["x"], "rows": [[1]]}],
        "figures": [],
        "sample_note": "computed on a sample",
    }
    json.dumps(result.to_dict(), allow_nan=False)


def test_chart_builders_return_plotly_dicts() -> None:
    hist = charts.histogram([1, 2, 2, 3, None], "h", bins=2)
    assert hist["data"][0]["type"] == "bar" and hist["data"][0]["y"] == [1, 3]
    assert hist["layout"]["title"]["text"] == "h"
    assert charts.bar(["a", "b"], [1, 2], "b")["data"][0]["x"] == ["a", "b"]
    band = charts.line([1, 2], {"s": [3, 4]}, "l", band=([2], [1], [5], "95% interval"))
    assert [t.get("name") for t in band["data"]] == [None, "95% interval", "s"]
    assert charts.scatter([1], [2], "s", color=[0])["data"][0]["marker"]["color"] == [0]
    assert charts.box({"g": [1, 2, 3]}, "b")["data"][0]["type"] == "box"
    assert charts.pie(["a"], [1], "p")["data"][0]["type"] == "pie"
    heat = charts.heatmap([[1.0, None]], ["x", "y"], ["r"], "h")
    assert heat["data"][0]["text"] == [["1.00", ""]]
    assert len(charts.stacked_lines([1, 2], {"a": [1, 2], "b": [3, 4]}, "s")["data"]) == 2
    json.dumps([hist, band, heat])


def test_collect_sample_is_exact_seeded_and_lazy() -> None:
    lf = pl.LazyFrame({"i": list(range(1000))})
    first = collect_sample(lf, 100, seed=5)
    again = collect_sample(lf, 100, seed=5)
    assert first.frame.height == 100 and first.frame.equals(again.frame)
    assert first.frame.get_column("i").is_sorted()
    assert first.note == "computed on a random sample of 100 of 1,000 rows (seed 5)"
    whole = collect_sample(lf, 1000, seed=5)
    assert whole.note is None and whole.frame.height == 1000
