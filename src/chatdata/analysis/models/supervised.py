"""Tree models with scikit-learn: decision tree, random forest, gradient boosting.

Classification or regression (`task="auto"` picks classification for a text/boolean target
or an integer target with at most 10 values). Data is split into train and test sets with a
seed (stratified for classification when possible); metrics are on the test set; feature
importance is reported per encoded column and summed per original feature.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import polars as pl
from sklearn import ensemble, metrics, tree
from sklearn.inspection import permutation_importance
from sklearn.model_selection import train_test_split

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_int
from chatdata.analysis.models.common import notes, plot_subset
from chatdata.analysis.models.prepare import Design, MissingPolicy, prepare_design
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.errors import BadRequest

Algorithm = Literal["decision_tree", "random_forest", "gradient_boosting"]
Task = Literal["auto", "classification", "regression"]
ESTIMATORS: dict[tuple[str, str], Any] = {
    ("decision_tree", "classification"): tree.DecisionTreeClassifier,
    ("decision_tree", "regression"): tree.DecisionTreeRegressor,
    ("random_forest", "classification"): ensemble.RandomForestClassifier,
    ("random_forest", "regression"): ensemble.RandomForestRegressor,
    ("gradient_boosting", "classification"): ensemble.HistGradientBoostingClassifier,
    ("gradient_boosting", "regression"): ensemble.HistGradientBoostingRegressor,
}
ALLOWED_PARAMS = {
    "decision_tree": {"max_depth", "min_samples_leaf"},
    "random_forest": {"n_estimators", "max_depth", "min_samples_leaf"},
    "gradient_boosting": {"max_iter", "learning_rate", "max_depth", "min_samples_leaf"},
}
NAMES = {
    "decision_tree": "Decision tree",
    "random_forest": "Random forest",
    "gradient_boosting": "Gradient boosting",
}


def choose_task(target: pl.Series, task: Task) -> str:
    """Classification for text/boolean targets or integers with <= 10 values, else regression."""
    if task != "auto":
        return task
    if not target.dtype.is_numeric():
        return "classification"
    return (
        "classification" if target.dtype.is_integer() and target.n_unique() <= 10 else "regression"
    )


def _estimator(algorithm: Algorithm, task: str, seed: int, params: dict[str, Any] | None) -> Any:
    if algorithm not in ALLOWED_PARAMS:
        raise BadRequest(f"unknown algorithm {algorithm!r}; available: {', '.join(ALLOWED_PARAMS)}")
    unknown = set(params or {}) - ALLOWED_PARAMS[algorithm]
    if unknown:
        raise BadRequest(
            f"unknown parameter(s) for {algorithm}: {', '.join(sorted(unknown))}; "
            f"allowed: {', '.join(sorted(ALLOWED_PARAMS[algorithm]))}"
        )
    return ESTIMATORS[(algorithm, task)](random_state=seed, **(params or {}))


def _importances(
    model: Any, design: Design, x_test: np.ndarray, y_test: np.ndarray, seed: int
) -> list[dict[str, Any]]:
    if hasattr(model, "feature_importances_"):
        values = np.asarray(model.feature_importances_, dtype=float)
    else:
        values = permutation_importance(
            model, x_test, y_test, n_repeats=3, random_state=seed
        ).importances_mean
    per_feature: dict[str, float] = {}
    for source, value in zip(design.sources, values, strict=True):
        per_feature[source] = per_feature.get(source, 0.0) + float(value)
    return sorted(
        ({"feature": f, "importance": v} for f, v in per_feature.items()),
        key=lambda r: -r["importance"],
    )


def _classification_metrics(
    model: Any, x_test: np.ndarray, y_test: np.ndarray
) -> tuple[dict[str, Any], dict[str, Any]]:
    labels = [str(c) for c in model.classes_]
    predicted = model.predict(x_test)
    binary = len(labels) == 2
    average = "binary" if binary else "macro"
    pos = {"pos_label": labels[1]} if binary else {}
    scores = {
        "accuracy": float(metrics.accuracy_score(y_test, predicted)),
        "precision": float(
            metrics.precision_score(y_test, predicted, average=average, zero_division=0, **pos)
        ),
        "recall": float(
            metrics.recall_score(y_test, predicted, average=average, zero_division=0, **pos)
        ),
        "f1": float(metrics.f1_score(y_test, predicted, average=average, zero_division=0, **pos)),
        "roc_auc": None,
    }
    if len(set(y_test.tolist())) == len(labels):
        proba = model.predict_proba(x_test)
        scores["roc_auc"] = float(
            metrics.roc_auc_score(y_test, proba[:, 1])
            if binary
            else metrics.roc_auc_score(y_test, proba, multi_class="ovr", labels=labels)
        )
    matrix = metrics.confusion_matrix(y_test, predicted, labels=labels).tolist()
    figure = charts.heatmap(
        matrix,
        labels,
        labels,
        "Confusion matrix (rows: actual, columns: predicted)",
        colorscale="Blues",
    )
    return scores, {"labels": labels, "confusion_matrix": matrix, "figure": figure}


def _regression_metrics(
    model: Any, x_test: np.ndarray, y_test: np.ndarray, seed: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    predicted = model.predict(x_test)
    scores = {
        "r2": float(metrics.r2_score(y_test, predicted)),
        "rmse": float(np.sqrt(metrics.mean_squared_error(y_test, predicted))),
        "mae": float(metrics.mean_absolute_error(y_test, predicted)),
    }
    shown = plot_subset(len(y_test), seed)
    figure = charts.scatter(
        predicted[shown].tolist(),
        y_test[shown].tolist(),
        "Actual vs predicted (test set)",
        "predicted",
        "actual",
    )
    return scores, {"figure": figure}


def _split(design: Design, task: str, test_size: float, seed: int) -> tuple[np.ndarray, ...]:
    assert design.target is not None
    y = (
        design.target.cast(pl.String).to_numpy()
        if task == "classification"
        else design.target.cast(pl.Float64).to_numpy()
    )
    if task == "regression" and not design.target.dtype.is_numeric():
        raise BadRequest("regression needs a numeric target")
    stratify = None
    if task == "classification":
        _, counts = np.unique(y, return_counts=True)
        if len(counts) < 2:
            raise BadRequest("classification needs at least two classes in the target")
        stratify = y if counts.min() >= 2 else None
    parts: tuple[np.ndarray, ...] = tuple(
        train_test_split(design.x, y, test_size=test_size, random_state=seed, stratify=stratify)
    )
    return parts


def _evaluate(
    model: Any, task: str, x_test: np.ndarray, y_test: np.ndarray, seed: int
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Test-set metrics, extra outputs (incl. a figure) and a one-line headline."""
    if task == "classification":
        scores, extra = _classification_metrics(model, x_test, y_test)
        auc = f", ROC AUC {scores['roc_auc']:.4f}" if scores["roc_auc"] is not None else ""
        return scores, extra, f"accuracy {scores['accuracy']:.4f}, F1 {scores['f1']:.4f}{auc}"
    scores, extra = _regression_metrics(model, x_test, y_test, seed)
    return (
        scores,
        extra,
        f"R² {scores['r2']:.4f}, RMSE {scores['rmse']:.4g}, MAE {scores['mae']:.4g}",
    )


def _importance_outputs(importance: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    names = [r["feature"] for r in importance]
    values = [r["importance"] for r in importance]
    figure = charts.bar(names, values, "Feature importance", "feature", "importance")
    table = make_table(
        "Feature importance",
        ["feature", "importance"],
        [list(p) for p in zip(names, values, strict=True)],
    )
    return figure, table


def train_model(
    frame: object,
    target: str,
    features: list[str],
    algorithm: Algorithm = "random_forest",
    *,
    task: Task = "auto",
    test_size: float = 0.25,
    params: dict[str, Any] | None = None,
    max_rows: int = 200_000,
    seed: int = 0,
    missing: MissingPolicy = "drop",
) -> AnalysisResult:
    """Fit a tree model on a seeded train split and report test metrics and importances."""
    if not 0 < test_size < 1:
        raise BadRequest("test_size must be between 0 and 1")
    design = prepare_design(
        frame, target, features, max_rows=max_rows, seed=seed, missing=missing, drop_first=False
    )
    assert design.target is not None
    chosen = choose_task(design.target, task)
    model = _estimator(algorithm, chosen, seed, params)
    x_train, x_test, y_train, y_test = _split(design, chosen, test_size, seed)
    model.fit(x_train, y_train)
    scores, extra, headline = _evaluate(model, chosen, x_test, y_test, seed)
    importance = _importances(model, design, x_test, y_test, seed)
    top = ", ".join(f"{r['feature']} ({r['importance']:.3f})" for r in importance[:3])
    summary = (
        f"{NAMES[algorithm]} {chosen} of {target} on {len(features)} feature(s), trained on "
        f"{fmt_int(len(y_train))} rows and tested on {fmt_int(len(y_test))}: {headline}. "
        f"Most important: {top}."
    )
    importance_figure, table = _importance_outputs(importance)
    metric_figure = extra.pop("figure")
    data = {
        "algorithm": algorithm,
        "task": chosen,
        "target": target,
        "features": features,
        "metrics": scores,
        "feature_importance": importance,
        "train_rows": len(y_train),
        "test_rows": len(y_test),
        "test_size": test_size,
        "seed": seed,
        "params": params or {},
        **extra,
        **notes(design),
    }
    return AnalysisResult(
        kind=f"{algorithm}_{chosen}",
        summary=summary,
        data=data,
        tables=[table],
        figures=[importance_figure, metric_figure],
        sample_note=design.sample_note,
    )
