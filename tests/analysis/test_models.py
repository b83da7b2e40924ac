"""Models checked against independent computation (numpy lstsq, known generating processes)."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import adjusted_rand_score

from chatdata.analysis import models
from chatdata.errors import BadRequest


@pytest.fixture
def regression_frame(rng: np.random.Generator) -> pl.DataFrame:
    n = 400
    x1, x2 = rng.normal(size=n), rng.uniform(-2, 2, n)
    shop = rng.choice(["north", "south", "west"], n)
    y = 3.0 + 2.0 * x1 - 1.5 * x2 + np.select([shop == "south", shop == "west"], [4.0, -1.0], 0.0)
    return pl.DataFrame({"x1": x1, "x2": x2, "shop": shop, "y": y + rng.normal(0, 0.3, n)})


def test_linear_regression_matches_numpy_lstsq(regression_frame: pl.DataFrame) -> None:
    result = models.linear_regression(regression_frame, "y", ["x1", "x2", "shop"])
    shop = regression_frame.get_column("shop").to_numpy()
    design = np.column_stack(
        [
            np.ones(regression_frame.height),
            regression_frame.get_column("x1").to_numpy(),
            regression_frame.get_column("x2").to_numpy(),
            shop == "south",
            shop == "west",
        ]
    ).astype(float)
    y = regression_frame.get_column("y").to_numpy()
    expected, *_ = np.linalg.lstsq(design, y, rcond=None)
    coefs = {row["term"]: row["coef"] for row in result.data["coefficients"]}
    assert list(coefs) == ["const", "x1", "x2", "shop=south", "shop=west"]
    assert list(coefs.values()) == pytest.approx(expected, rel=1e-9)
    residual = y - design @ expected
    assert result.data["r2"] == pytest.approx(
        1 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))
    )
    assert result.tables[0]["columns"] == [
        "term",
        "coef",
        "std_err",
        "t",
        "p_value",
        "ci_low",
        "ci_high",
    ]
    assert f"R² = {result.data['r2']:.4f}" in result.summary
    assert f"x1 {coefs['x1']:.4g}" in result.summary
    assert result.sample_note is None
    json.dumps(result.to_dict())


def test_polynomial_regression_matches_lstsq_on_powers(rng: np.random.Generator) -> None:
    x = rng.uniform(-3, 3, 200)
    y = 1 - 2 * x + 0.5 * x**2 + rng.normal(0, 0.1, 200)
    result = models.polynomial_regression(pl.DataFrame({"x": x, "y": y}), "y", "x", degree=2)
    expected, *_ = np.linalg.lstsq(np.column_stack([np.ones(200), x, x**2]), y, rcond=None)
    assert [r["coef"] for r in result.data["coefficients"]] == pytest.approx(expected, rel=1e-9)
    assert [r["term"] for r in result.data["coefficients"]] == ["const", "x", "x^2"]
    assert expected == pytest.approx([1, -2, 0.5], abs=0.05)


def test_regression_on_a_sample_states_it_and_drops_missing_rows(
    regression_frame: pl.DataFrame,
) -> None:
    holes = regression_frame.with_columns(
        pl.when(pl.int_range(pl.len()) % 10 == 0).then(None).otherwise(pl.col("x1")).alias("x1")
    )
    result = models.linear_regression(holes, "y", ["x1", "x2"], max_rows=100, seed=7)
    assert result.sample_note == "fitted on a random sample of 100 of 360 rows (seed 7)"
    assert (
        result.data["missing_policy"]
        == "rows with a missing target or feature were dropped (40 of 400)"
    )
    assert result.data["n"] == 100
    imputed = models.linear_regression(holes, "y", ["x1", "x2"], missing="impute")
    assert imputed.data["n"] == 400


def test_logistic_regression_recovers_generating_coefficients(rng: np.random.Generator) -> None:
    n = 4000
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    probability = 1 / (1 + np.exp(-(-0.5 + 1.2 * x1 - 0.8 * x2)))
    outcome = np.where(rng.random(n) < probability, "yes", "no")
    result = models.logistic_regression(
        pl.DataFrame({"x1": x1, "x2": x2, "bought": outcome}), "bought", ["x1", "x2"]
    )
    coefs = [row["coef"] for row in result.data["coefficients"]]
    assert coefs == pytest.approx([-0.5, 1.2, -0.8], abs=0.12)
    for row in result.data["coefficients"]:
        assert row["ci_low"] < row["coef"] < row["ci_high"]
    assert result.data["positive"] == "yes" and result.data["perfect_separation"] is False
    assert 0.1 < result.data["pseudo_r2"] < 0.5
    assert f"McFadden pseudo-R² = {result.data['pseudo_r2']:.4f}" in result.summary


def test_logistic_regression_flags_perfect_separation() -> None:
    x = np.arange(20, dtype=float)
    frame = pl.DataFrame({"x": x, "label": (x >= 10).astype(int)})
    result = models.logistic_regression(frame, "label", ["x"])
    assert result.data["accuracy"] == 1.0
    assert result.data["perfect_separation"] is True
    assert "perfectly separated" in result.summary


def test_decision_tree_learns_a_rule_exactly(rng: np.random.Generator) -> None:
    n = 400
    x, noise = rng.uniform(0, 10, n), rng.normal(size=n)
    colour = rng.choice(["red", "blue"], n)
    label = np.where((x > 5) & (colour == "red"), "buy", "skip")
    frame = pl.DataFrame({"x": x, "noise": noise, "colour": colour, "label": label})
    result = models.train_model(
        frame, "label", ["x", "noise", "colour"], "decision_tree", params={"max_depth": 3}
    )
    metrics = result.data["metrics"]
    assert result.data["task"] == "classification"
    assert metrics["accuracy"] == 1.0 and metrics["f1"] == 1.0 and metrics["roc_auc"] == 1.0
    assert (result.data["train_rows"], result.data["test_rows"]) == (300, 100)
    ranked = [r["feature"] for r in result.data["feature_importance"]]
    assert (
        set(ranked[:2]) == {"x", "colour"}
        and result.data["feature_importance"][2]["importance"] == 0.0
    )
    assert sum(map(sum, result.data["confusion_matrix"])) == 100


def test_random_forest_regression_metrics_are_consistent(regression_frame: pl.DataFrame) -> None:
    result = models.train_model(
        regression_frame,
        "y",
        ["x1", "x2", "shop"],
        "random_forest",
        params={"n_estimators": 30},
        seed=1,
    )
    metrics = result.data["metrics"]
    assert result.data["task"] == "regression" and metrics["r2"] > 0.85
    assert metrics["mae"] <= metrics["rmse"]
    assert f"R² {metrics['r2']:.4f}" in result.summary


def test_gradient_boosting_multiclass_uses_macro_f1(rng: np.random.Generator) -> None:
    n = 600
    x = rng.uniform(0, 3, n)
    label = np.array(["low", "mid", "high"])[np.floor(x).astype(int)]
    result = models.train_model(
        pl.DataFrame({"x": x, "label": label}), "label", ["x"], "gradient_boosting"
    )
    metrics = result.data["metrics"]
    assert metrics["accuracy"] > 0.95
    assert result.data["labels"] == ["high", "low", "mid"]
    assert metrics["roc_auc"] > 0.95
    assert result.kind == "gradient_boosting_classification"
    assert metrics["f1"] > 0.95


def test_unknown_model_parameter_is_refused(regression_frame: pl.DataFrame) -> None:
    with pytest.raises(BadRequest, match="unknown parameter\\(s\\) for decision_tree: n_jobs"):
        models.train_model(regression_frame, "y", ["x1"], "decision_tree", params={"n_jobs": 4})


def blobs(rng: np.random.Generator) -> tuple[pl.DataFrame, np.ndarray]:
    centres = np.array([[0, 0], [10, 10], [0, 10]])
    truth = np.repeat([0, 1, 2], 100)
    points = centres[truth] + rng.normal(0, 0.5, (300, 2))
    return pl.DataFrame({"a": points[:, 0], "b": points[:, 1]}), truth


def test_kmeans_finds_three_separated_blobs(rng: np.random.Generator) -> None:
    frame, truth = blobs(rng)
    result = models.kmeans(frame, ["a", "b"], k_range=(2, 6))
    assert result.data["k"] == 3
    assert adjusted_rand_score(truth, result.data["labels"]) == pytest.approx(1.0)
    assert result.data["silhouette"] > 0.8
    assert sorted(result.data["sizes"].values()) == [100, 100, 100]
    centres = sorted(tuple(round(v) for v in c) for c in result.data["centers"])
    assert centres == [(0, 0), (0, 10), (10, 10)]
    assert (
        f"best k = 3 by silhouette over 2..6, silhouette {result.data['silhouette']:.4g}"
        in result.summary
    )


def test_dbscan_with_estimated_eps_finds_blobs_and_noise(rng: np.random.Generator) -> None:
    frame, truth = blobs(rng)
    frame = pl.concat([frame, pl.DataFrame({"a": [30.0, -20.0], "b": [-20.0, 30.0]})])
    result = models.dbscan(frame, ["a", "b"])
    labels = np.asarray(result.data["labels"])
    assert result.data["n_clusters"] == 3 and result.data["eps_estimated"] is True
    assert list(labels[-2:]) == [-1, -1]
    assert adjusted_rand_score(truth, labels[:300]) == pytest.approx(1.0)
    assert result.data["noise"] == 2
