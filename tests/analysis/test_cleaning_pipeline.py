"""The lazy cleaning pipeline over Parquet, step validation errors, and join key suggestions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from chatdata.analysis.cleaning import (
    apply_pipeline,
    join_tables,
    run_cleaning_pipeline,
    suggest_join_keys,
)
from chatdata.errors import BadRequest, ValidationFailed

STEPS = [
    {"op": "normalize_strings", "columns": ["city"], "case": "title"},
    {"op": "fill_missing", "column": "price", "strategy": "median"},
    {"op": "outliers", "columns": ["price"], "method": "iqr", "action": "remove"},
    {"op": "deduplicate", "columns": ["order_id"], "keep": "first"},
    {"op": "convert", "column": "qty", "to": "int"},
]


def write_orders(path: Path) -> pl.DataFrame:
    """A small dirty orders table with known problems, written to Parquet."""
    frame = pl.DataFrame(
        {
            "order_id": [1, 2, 2, 3, 4, 5, 6, 7],
            "city": [" paris ", "PARIS", "PARIS", "lyon  ", "Lyon", "nice", "nice", "Nice"],
            "price": [10.0, None, None, 12.0, 11.0, 500.0, 9.0, 10.0],
            "qty": ["1", "2", "2", "three", "4", "5", "6", "7"],
        }
    )
    frame.write_parquet(path)
    return frame


def test_run_cleaning_pipeline_streams_parquet_to_parquet(tmp_path: Path) -> None:
    src, dst = tmp_path / "orders.parquet", tmp_path / "clean.parquet"
    write_orders(src)
    result = run_cleaning_pipeline(src, dst, STEPS)
    cleaned = pl.read_parquet(dst)
    assert cleaned.to_dict(as_series=False) == {
        "order_id": [1, 2, 3, 4, 6, 7],
        "city": ["Paris", "Paris", "Lyon", "Lyon", "Nice", "Nice"],
        "price": [10.0, 10.5, 12.0, 11.0, 9.0, 10.0],
        "qty": [1, 2, None, 4, 6, 7],
    }
    data = result["data"]
    assert (data["rows_before"], data["rows_after"], data["rows_removed"]) == (8, 6, 2)
    steps = data["steps"]
    assert steps[0]["counts"] == {"changed:city": 6}
    assert steps[1]["counts"] == {"filled": 2, "still_missing": 0}
    assert steps[1]["details"]["fill_value"] == 10.5
    assert steps[2]["counts"] == {"outliers:price": 1}
    assert [(s["rows_before"], s["rows_after"]) for s in steps] == [
        (8, 8),
        (8, 8),
        (8, 7),
        (7, 6),
        (6, 6),
    ]
    assert steps[4]["counts"] == {"converted": 5, "failed": 1} and steps[4]["examples"] == ["three"]
    assert data["lineage"][1] == {"op": "fill_missing", "column": "price", "strategy": "median"}
    assert result["summary"] == "Applied 5 cleaning step(s): 8 rows before, 6 after (2 removed)."
    assert json.loads(json.dumps(result)) == result
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.parquet", "orders.parquet"]


def test_apply_pipeline_is_lazy_and_matches_eager_result(tmp_path: Path) -> None:
    src = tmp_path / "orders.parquet"
    write_orders(src)
    lazy, reports = apply_pipeline(pl.scan_parquet(src), STEPS)
    assert isinstance(lazy, pl.LazyFrame)
    assert [r.op for r in reports] == [s["op"] for s in STEPS]
    assert reports[0].rows_before is None
    assert lazy.collect().height == 6


def test_isolation_forest_step_on_parquet_states_its_sample(
    tmp_path: Path, rng: np.random.Generator
) -> None:
    src, dst = tmp_path / "points.parquet", tmp_path / "out.parquet"
    values = rng.normal(0, 1, 2000)
    values[100] = 50.0
    pl.DataFrame({"x": values}).write_parquet(src)
    steps = [
        {
            "op": "outliers",
            "columns": ["x"],
            "method": "isolation_forest",
            "action": "remove",
            "contamination": 0.005,
        }
    ]
    result = run_cleaning_pipeline(src, dst, steps, sample_rows=500, seed=3)
    note = "Isolation Forest fitted on a random sample of 500 of 2,000 rows (seed 3)"
    assert result["data"]["steps"][0]["sample_note"] == note
    assert result["sample_note"] == f"step 1: {note}"
    assert 50.0 not in pl.read_parquet(dst).get_column("x").to_list()


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "steps must be a non-empty list"),
        (
            [{"op": "fill_missing", "column": "price", "strategy": "mean"}, {"op": "explode"}],
            "step 2: unknown op 'explode'; available ops: drop_missing, drop_columns",
        ),
        (
            [{"op": "fill_missing", "column": "price"}],
            "step 1 (fill_missing): strategy: Field required",
        ),
        (
            [{"op": "fill_missing", "column": "price", "strategy": "constant"}],
            "step 1 (fill_missing): strategy 'constant' needs a 'value'",
        ),
        (
            [{"op": "outliers", "columns": ["price"], "method": "lof"}],
            "step 1 (outliers): method: Input should be",
        ),
        (
            [{"op": "deduplicate", "keep": "first", "colour": "red"}],
            "step 1 (deduplicate): colour: Extra inputs",
        ),
        (["drop"], "step 1: expected an object with an 'op'"),
    ],
)
def test_malformed_steps_raise_validation_failed_naming_the_step(steps: list, message: str) -> None:
    lf = pl.LazyFrame({"price": [1.0], "city": ["x"]})
    with pytest.raises(ValidationFailed) as caught:
        apply_pipeline(lf, steps)
    assert caught.value.message.startswith(message)
    assert caught.value.status_code == 422
    json.dumps(caught.value.to_body())


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            {"op": "fill_missing", "column": "cost", "strategy": "mean"},
            "step 2 (fill_missing): unknown column(s) 'cost'; available: price, city",
        ),
        (
            {"op": "fill_missing", "column": "city", "strategy": "mean"},
            "step 2 (fill_missing): strategy 'mean' needs a numeric column; 'city' is String",
        ),
        ({"op": "outliers", "columns": ["city"]}, "step 2 (outliers): numeric column(s) required"),
        (
            {"op": "normalize_strings", "columns": ["price"]},
            "step 2 (normalize_strings): text columns required",
        ),
        (
            {"op": "join", "right": "nope", "left_on": ["city"]},
            "step 2 (join): unknown table 'nope'; available: none",
        ),
        (
            {"op": "fill_missing", "column": "price", "strategy": "constant", "value": "abc"},
            "step 2 (fill_missing): value 'abc' does not fit column 'price'",
        ),
    ],
)
def test_steps_that_do_not_fit_the_data_raise_bad_request_naming_the_step(
    step: dict, message: str
) -> None:
    lf = pl.LazyFrame({"price": [1.0, None], "city": ["x", "y"]})
    with pytest.raises(BadRequest) as caught:
        apply_pipeline(lf, [{"op": "deduplicate"}, step])
    assert caught.value.message.startswith(message)


def test_a_later_step_sees_the_schema_left_by_earlier_steps() -> None:
    lf = pl.LazyFrame({"price": [1.0], "city": ["x"]})
    steps = [
        {"op": "drop_columns", "columns": ["price"]},
        {"op": "fill_missing", "column": "price", "strategy": "median"},
    ]
    with pytest.raises(BadRequest, match=r"step 2 \(fill_missing\): unknown column\(s\) 'price'"):
        apply_pipeline(lf, steps)


def test_suggest_join_keys_ranks_the_shared_id_first() -> None:
    orders = pl.DataFrame(
        {
            "order_no": [100, 101, 102, 103],
            "customer_id": [1, 2, 2, 3],
            "note": ["a", "b", "c", "d"],
        }
    )
    customers = pl.DataFrame({"CustomerID": [1, 2, 3, 4], "name": ["ann", "bob", "cy", "di"]})
    result = suggest_join_keys(orders, customers)
    best = result.data["candidates"][0]
    assert (best["left"], best["right"]) == ("customer_id", "CustomerID")
    assert best["value_overlap"] == 1.0 and best["name_similarity"] == 1.0
    assert best["right_uniqueness"] == 1.0
    assert result.summary.startswith("Best join key: customer_id = CustomerID")
    assert "100.00% of left values found on the right" in result.summary


def test_join_tables_reports_match_share() -> None:
    left = pl.DataFrame({"k": ["a", "b", "c", "d"]})
    right = pl.DataFrame({"key": ["a", "c"], "v": [1, 2]})
    joined, result = join_tables(left, right, ["k"], ["key"], how="left")
    assert joined.collect().get_column("v").to_list() == [1, None, 2, None]
    assert result.data["matched_left_rows"] == 2 and result.data["match_share"] == 0.5
    assert (
        result.summary
        == "left join on k: 2 of 4 left rows (50.00%) have a match among 2 right rows."
    )


def test_join_with_mismatched_key_types_is_refused() -> None:
    with pytest.raises(BadRequest, match="key types differ: k \\(String\\) vs key \\(Int64\\)"):
        join_tables(pl.DataFrame({"k": ["1"]}), pl.DataFrame({"key": [1]}), ["k"], ["key"])
