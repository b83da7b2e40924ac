"""Each cleaning op, exact on small frames, through `clean_frame` (the same lazy planner)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from chatdata.analysis.cleaning import clean_frame


def step_counts(result_data: dict, index: int = 0) -> dict:
    return result_data["steps"][index]["counts"]


def test_drop_missing_any_and_all() -> None:
    frame = pl.DataFrame({"a": [1, None, None, 4], "b": ["x", "y", None, None]})
    any_missing, result = clean_frame(frame, [{"op": "drop_missing"}])
    assert any_missing.to_dict(as_series=False) == {"a": [1], "b": ["x"]}
    assert result.data["rows_before"] == 4 and result.data["rows_after"] == 1
    all_missing, _ = clean_frame(frame, [{"op": "drop_missing", "how": "all"}])
    assert all_missing.get_column("a").to_list() == [1, None, 4]
    only_a, _ = clean_frame(frame, [{"op": "drop_missing", "columns": ["a"]}])
    assert only_a.get_column("a").to_list() == [1, 4]


def test_drop_columns_counts_missing_values_dropped() -> None:
    frame = pl.DataFrame({"a": [1, 2], "b": [None, None], "c": [None, 3]})
    cleaned, result = clean_frame(frame, [{"op": "drop_columns", "columns": ["b", "c"]}])
    assert cleaned.columns == ["a"]
    assert step_counts(result.data) == {"missing_dropped": 3}


@pytest.mark.parametrize(
    ("strategy", "value", "expected", "fill_value"),
    [
        ("mean", None, [1.0, 3.0, 2.0, 3.0, 6.0], 3.0),
        ("median", None, [1.0, 2.0, 2.0, 2.0, 6.0], 2.0),
        ("constant", -1, [1.0, -1.0, 2.0, -1.0, 6.0], -1.0),
        ("forward", None, [1.0, 1.0, 2.0, 2.0, 6.0], None),
        ("backward", None, [1.0, 2.0, 2.0, 6.0, 6.0], None),
        ("interpolate", None, [1.0, 1.5, 2.0, 4.0, 6.0], None),
    ],
)
def test_fill_missing_numeric_strategies(
    strategy: str, value: float | None, expected: list[float], fill_value: float | None
) -> None:
    frame = pl.DataFrame({"x": [1.0, None, 2.0, None, 6.0]})
    step = {"op": "fill_missing", "column": "x", "strategy": strategy, "value": value}
    cleaned, result = clean_frame(frame, [step])
    assert cleaned.get_column("x").to_list() == expected
    assert step_counts(result.data) == {"filled": 2, "still_missing": 0}
    assert result.data["steps"][0]["details"]["fill_value"] == fill_value


def test_fill_missing_mode_on_text_takes_most_common_then_smallest() -> None:
    frame = pl.DataFrame({"s": ["b", "a", None, "b", "a", None]})
    cleaned, result = clean_frame(
        frame, [{"op": "fill_missing", "column": "s", "strategy": "mode"}]
    )
    assert cleaned.get_column("s").to_list() == ["b", "a", "a", "b", "a", "a"]
    assert step_counts(result.data)["filled"] == 2


def test_forward_fill_leaves_leading_gap_and_reports_it() -> None:
    frame = pl.DataFrame({"x": [None, 1.0, None]})
    cleaned, result = clean_frame(
        frame, [{"op": "fill_missing", "column": "x", "strategy": "forward"}]
    )
    assert cleaned.get_column("x").to_list() == [None, 1.0, 1.0]
    assert step_counts(result.data) == {"filled": 1, "still_missing": 1}


def test_outliers_iqr_cap_keeps_integer_type() -> None:
    frame = pl.DataFrame({"x": [1, 2, 3, 4, 100, -50]})
    q1, q3 = np.percentile([1, 2, 3, 4, 100, -50], [25, 75])
    low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    cleaned, result = clean_frame(frame, [{"op": "outliers", "columns": ["x"], "method": "iqr"}])
    assert cleaned.schema["x"] == pl.Int64
    assert cleaned.get_column("x").to_list() == [1, 2, 3, 4, int(np.floor(high)), int(np.ceil(low))]
    assert result.data["steps"][0]["details"]["bounds"]["x"] == pytest.approx([low, high])
    assert step_counts(result.data) == {"outliers:x": 2}


def test_outliers_zscore_remove_drops_rows_outside_mean_plus_minus_k_std() -> None:
    values = [10.0, 11.0, 9.0, 10.5, 9.5, 30.0, None]
    present = np.array([v for v in values if v is not None])
    mean, std = present.mean(), present.std(ddof=1)
    frame = pl.DataFrame({"x": values, "id": list(range(7))})
    step = {
        "op": "outliers",
        "columns": ["x"],
        "method": "zscore",
        "threshold": 1.5,
        "action": "remove",
    }
    cleaned, result = clean_frame(frame, [step])
    kept = [i for i, v in enumerate(values) if v is None or abs(v - mean) <= 1.5 * std]
    assert cleaned.get_column("id").to_list() == kept == [0, 1, 2, 3, 4, 6]
    assert (
        result.data["steps"][0]["rows_before"] == 7 and result.data["steps"][0]["rows_after"] == 6
    )


def test_isolation_forest_removes_the_far_point_and_notes_its_sample(
    rng: np.random.Generator,
) -> None:
    points = rng.normal(0, 1, (300, 2))
    points[7] = [25.0, -25.0]
    frame = pl.DataFrame({"a": points[:, 0], "b": points[:, 1], "id": np.arange(300)})
    step = {
        "op": "outliers",
        "columns": ["a", "b"],
        "method": "isolation_forest",
        "action": "remove",
        "contamination": 0.01,
    }
    cleaned, result = clean_frame(frame, [step], sample_rows=200)
    assert 7 not in cleaned.get_column("id").to_list()
    assert 290 <= cleaned.height < 300
    report = result.data["steps"][0]
    assert (
        report["sample_note"]
        == "Isolation Forest fitted on a random sample of 200 of 300 rows (seed 0)"
    )
    assert report["details"]["fit_rows"] == 200


def test_isolation_forest_cap_clips_to_inlier_range(rng: np.random.Generator) -> None:
    values = np.concatenate([rng.normal(0, 1, 200), [40.0]])
    frame = pl.DataFrame({"x": values})
    step = {"op": "outliers", "columns": ["x"], "method": "isolation_forest", "contamination": 0.01}
    cleaned, result = clean_frame(frame, [step])
    low, high = result.data["steps"][0]["details"]["bounds"]["x"]
    assert cleaned.get_column("x").max() == pytest.approx(high)
    assert high < 40.0 and cleaned.get_column("x").min() >= low
    assert result.data["steps"][0]["sample_note"] is None


def test_convert_to_int_reports_failures_with_examples() -> None:
    frame = pl.DataFrame({"s": ["1", " 2 ", "3.0", "x", "2.5", None]})
    cleaned, result = clean_frame(frame, [{"op": "convert", "column": "s", "to": "int"}])
    assert cleaned.schema["s"] == pl.Int64
    assert cleaned.get_column("s").to_list() == [1, 2, 3, None, None, None]
    assert step_counts(result.data) == {"converted": 3, "failed": 2}
    assert result.data["steps"][0]["examples"] == ["x", "2.5"]


def test_convert_to_float_bool_and_str() -> None:
    frame = pl.DataFrame({"f": ["1.5", "bad", "2"], "b": ["Yes", "no", "maybe"], "n": [1, 2, 3]})
    cleaned, result = clean_frame(
        frame,
        [
            {"op": "convert", "column": "f", "to": "float"},
            {"op": "convert", "column": "b", "to": "bool"},
            {"op": "convert", "column": "n", "to": "str"},
        ],
    )
    assert cleaned.to_dict(as_series=False) == {
        "f": [1.5, None, 2.0],
        "b": [True, False, None],
        "n": ["1", "2", "3"],
    }
    assert [s["counts"]["failed"] for s in result.data["steps"]] == [1, 1, 0]


def test_convert_to_date_and_datetime_with_format() -> None:
    frame = pl.DataFrame(
        {"d": ["31/12/2020", "2020-12-31", "01/02/2021"], "t": ["2021-03-04 05:06", "x", None]}
    )
    cleaned, result = clean_frame(
        frame,
        [
            {"op": "convert", "column": "d", "to": "date", "format": "%d/%m/%Y"},
            {"op": "convert", "column": "t", "to": "datetime", "format": "%Y-%m-%d %H:%M"},
        ],
    )
    assert cleaned.get_column("d").to_list() == [dt.date(2020, 12, 31), None, dt.date(2021, 2, 1)]
    assert cleaned.get_column("t").to_list() == [dt.datetime(2021, 3, 4, 5, 6), None, None]
    assert [s["counts"] for s in result.data["steps"]] == [
        {"converted": 2, "failed": 1},
        {"converted": 1, "failed": 1},
    ]
    assert result.data["steps"][0]["examples"] == ["2020-12-31"]


def test_convert_date_to_text_with_format() -> None:
    frame = pl.DataFrame({"d": [dt.date(2021, 2, 3)]})
    cleaned, _ = clean_frame(
        frame, [{"op": "convert", "column": "d", "to": "str", "format": "%d.%m.%Y"}]
    )
    assert cleaned.get_column("d").to_list() == ["03.02.2021"]


def test_deduplicate_exact_and_on_keys_keeping_first_or_last() -> None:
    frame = pl.DataFrame({"k": [1, 1, 2, 1, 3], "v": ["a", "a", "b", "c", "d"]})
    exact, result = clean_frame(frame, [{"op": "deduplicate"}])
    assert exact.rows() == [(1, "a"), (2, "b"), (1, "c"), (3, "d")]
    assert result.data["rows_removed"] == 1
    first, _ = clean_frame(frame, [{"op": "deduplicate", "columns": ["k"]}])
    assert first.rows() == [(1, "a"), (2, "b"), (3, "d")]
    last, _ = clean_frame(frame, [{"op": "deduplicate", "columns": ["k"], "keep": "last"}])
    assert last.rows() == [(2, "b"), (1, "c"), (3, "d")]


def test_normalize_strings_trim_case_whitespace_nfkc() -> None:
    frame = pl.DataFrame({"s": ["  Hello   World ", "\uff21\uff22\uff23\u3000def", "same", None]})
    step = {"op": "normalize_strings", "columns": ["s"], "case": "lower"}
    cleaned, result = clean_frame(frame, [step])
    assert cleaned.get_column("s").to_list() == ["hello world", "abc def", "same", None]
    assert step_counts(result.data) == {"changed:s": 2}
    titled, _ = clean_frame(frame, [{**step, "case": "title", "unicode_nfkc": False}])
    assert titled.get_column("s").to_list()[0] == "Hello World"


def test_join_step_uses_named_table_and_counts_matches() -> None:
    orders = pl.DataFrame({"customer_id": [1, 2, 2, 9], "amount": [10, 20, 30, 40]})
    customers = pl.DataFrame({"id": [1, 2, 3], "name": ["ann", "bob", "cy"]})
    step = {"op": "join", "right": "customers", "left_on": ["customer_id"], "right_on": ["id"]}
    joined, result = clean_frame(orders, [step], tables={"customers": customers})
    assert joined.rows() == [(1, 10, "ann"), (2, 20, "bob"), (2, 30, "bob"), (9, 40, None)]
    assert step_counts(result.data) == {"left_rows": 4, "matched_left_rows": 3, "right_rows": 3}
    inner, _ = clean_frame(orders, [{**step, "how": "inner"}], tables={"customers": customers})
    assert inner.height == 3
