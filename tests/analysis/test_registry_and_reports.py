"""Analyses by name with JSON parameters, and the read-only cleaning previews."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from scipy import stats as sps

from chatdata.analysis.cleaning import outlier_report, suggest_missing_strategies
from chatdata.analysis.registry import ANALYSES, list_analyses, run_analysis
from chatdata.errors import BadRequest, ValidationFailed


def test_run_analysis_validates_and_calls_the_function(groups_frame: pl.DataFrame) -> None:
    result = run_analysis(
        "ttest_two_sample", groups_frame, {"value": "value", "group": "group", "groups": ["b", "c"]}
    )
    a = groups_frame.filter(pl.col("group") == "b").get_column("value").to_numpy()
    c = groups_frame.filter(pl.col("group") == "c").get_column("value").to_numpy()
    assert result.data["p_value"] == pytest.approx(sps.ttest_ind(a, c, equal_var=False).pvalue)


def test_run_analysis_coerces_json_lists_to_tuples(groups_frame: pl.DataFrame) -> None:
    result = run_analysis(
        "kmeans", groups_frame, {"features": ["value", "later"], "k_range": [2, 3]}
    )
    assert result.data["k"] in (2, 3) and set(result.data["silhouette_by_k"]) == {"2", "3"}


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"value": "value"}, "ttest_two_sample: group: Missing required argument"),
        (
            {"value": "value", "group": "group", "colour": 1},
            "ttest_two_sample: colour: Unexpected keyword",
        ),
        (
            {"value": "value", "group": "group", "alternative": "up"},
            "ttest_two_sample: alternative: Input should be 'two-sided', 'less' or 'greater'",
        ),
        (
            {"value": "value", "group": "group", "frame": 1},
            "ttest_two_sample: 'frame' is the dataset",
        ),
    ],
)
def test_run_analysis_rejects_bad_parameters(
    groups_frame: pl.DataFrame, parameters: dict, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        run_analysis("ttest_two_sample", groups_frame, parameters)
    assert caught.value.message.startswith(message)
    json.dumps(caught.value.to_body())


def test_unknown_analysis_lists_the_available_ones(groups_frame: pl.DataFrame) -> None:
    with pytest.raises(
        BadRequest, match="unknown analysis 'magic'; available: describe, correlation"
    ):
        run_analysis("magic", groups_frame, {})


def test_list_analyses_describes_every_function_and_its_parameters() -> None:
    described = {a["name"]: a for a in list_analyses()}
    assert set(described) == set(ANALYSES)
    forecast = {p["name"]: p for p in described["forecast"]["parameters"]}
    assert forecast["method"] == {
        "name": "method",
        "type": "Literal['arima', 'sarima', 'holt_winters', 'prophet']",
        "required": False,
        "default": "arima",
    }
    assert forecast["date_column"]["required"] is True
    json.dumps(described)


def test_missing_value_suggestions_follow_type_and_shape(rng: np.random.Generator) -> None:
    skewed = rng.exponential(size=100)
    frame = pl.DataFrame(
        {
            "skewed": [None if i % 10 == 0 else v for i, v in enumerate(skewed)],
            "symmetric": [None if i == 3 else float(i % 7) for i in range(100)],
            "city": [None if i % 4 == 0 else "paris" for i in range(100)],
            "sparse": [None if i % 3 else 1.0 for i in range(100)],
            "full": list(range(100)),
        }
    )
    result = suggest_missing_strategies(frame)
    suggested = {c["column"]: (c["missing"], c["suggested"]) for c in result.data["columns"]}
    assert suggested == {
        "skewed": (10, "median"),
        "symmetric": (1, "mean"),
        "city": (25, "mode"),
        "sparse": (66, "drop_columns"),
        "full": (0, "none"),
    }
    assert result.summary.startswith("4 of 5 columns have missing values over 100 rows.")
    assert "city: 25 (25.00%), suggest mode" in result.summary


def test_outlier_report_counts_without_changing_data() -> None:
    frame = pl.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 100.0]})
    q1, q3 = np.percentile(frame.get_column("x").to_numpy(), [25, 75])
    result = outlier_report(frame, ["x"])
    (report,) = result.data["columns"]
    assert report["lower"] == q1 - 1.5 * (q3 - q1) and report["upper"] == q3 + 1.5 * (q3 - q1)
    assert report["outliers"] == 1 and report["share"] == 0.2
    assert result.summary == "IQR outliers over 5 rows: x 1 (20.00%) outside -1 to 7."
