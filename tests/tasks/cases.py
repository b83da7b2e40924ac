"""Every public task type with parameters and an independent check of its numbers.

Each check recomputes the figures with SciPy, NumPy, statsmodels or scikit-learn called
directly on the same data the task read, and compares them with the task's result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import pytest
from scipy import stats as sps
from sklearn import ensemble, tree
from sklearn.metrics import accuracy_score, r2_score, silhouette_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from statsmodels.stats.proportion import proportions_ztest
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.seasonal import seasonal_decompose

Check = Callable[[dict[str, Any], pl.DataFrame], None]


@dataclass(frozen=True)
class Case:
    """One task to run and how to verify its result."""

    id: str
    task_type: str
    dataset: str
    parameters: dict[str, Any]
    check: Check


def close(actual: float, expected: float, rel: float = 1e-9, abs_: float = 1e-12) -> None:
    """Assert two numbers agree."""
    assert actual == pytest.approx(expected, rel=rel, abs=abs_)


def col(frame: pl.DataFrame, name: str, **where: str) -> np.ndarray:
    """A column as float array, optionally filtered by equality on other columns."""
    for key, value in where.items():
        frame = frame.filter(pl.col(key) == value)
    return frame[name].cast(pl.Float64).to_numpy()


def check_describe(result: dict[str, Any], df: pl.DataFrame) -> None:
    x1 = df["x1"].to_numpy()
    stats = result["data"]["numeric"]["x1"]
    assert stats["count"] == 300 and stats["missing"] == 0
    close(stats["mean"], float(np.mean(x1)))
    close(stats["std"], float(np.std(x1, ddof=1)))
    close(stats["median"], float(np.median(x1)))
    assert result["data"]["rows"] == 300 and result["dataset_version"] == 1


def check_pearson(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = np.corrcoef(df.select("x1", "x2", "y").to_numpy().T)
    assert result["data"]["columns"] == ["x1", "x2", "y"]
    assert np.allclose(np.array(result["data"]["matrix"], dtype=float), expected, atol=1e-12)


def check_spearman(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = sps.spearmanr(df.select("x1", "x2", "y").to_numpy()).statistic
    assert np.allclose(np.array(result["data"]["matrix"], dtype=float), expected, atol=1e-12)


def check_ttest_two(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = sps.ttest_ind(
        col(df, "value", group="A"), col(df, "value", group="B"), equal_var=False
    )
    close(result["data"]["t"], expected.statistic, rel=1e-9)
    close(result["data"]["p_value"], expected.pvalue, rel=1e-7)


def check_ttest_one(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = sps.ttest_1samp(col(df, "value"), 10.0)
    close(result["data"]["t"], expected.statistic, rel=1e-9)
    close(result["data"]["p_value"], expected.pvalue, rel=1e-7)


def check_ttest_paired(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = sps.ttest_rel(col(df, "after"), col(df, "before"))
    close(result["data"]["t"], expected.statistic, rel=1e-9)
    close(result["data"]["p_value"], expected.pvalue, rel=1e-7)


def check_mann_whitney(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = sps.mannwhitneyu(col(df, "value", group="A"), col(df, "value", group="B"))
    close(result["data"]["u"], expected.statistic)
    close(result["data"]["p_value"], expected.pvalue, rel=1e-7)


def _by_segment(result: dict[str, Any], df: pl.DataFrame) -> list[np.ndarray]:
    return [col(df, "value", segment=g) for g in result["data"]["groups"]]


def check_anova(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = sps.f_oneway(*_by_segment(result, df))
    close(result["data"]["f"], expected.statistic, rel=1e-9)
    close(result["data"]["p_value"], expected.pvalue, rel=1e-7)


def check_kruskal(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = sps.kruskal(*_by_segment(result, df))
    close(result["data"]["h"], expected.statistic, rel=1e-9)
    close(result["data"]["p_value"], expected.pvalue, rel=1e-7)


def check_chi_square(result: dict[str, Any], df: pl.DataFrame) -> None:
    table = (
        df.group_by("group", "segment").len().pivot("segment", index="group", values="len")
    ).sort("group")
    observed = table.select(sorted(c for c in table.columns if c != "group")).to_numpy()
    chi2, p_value, dof, _ = sps.chi2_contingency(observed, correction=False)
    close(result["data"]["chi2"], chi2, rel=1e-9)
    close(result["data"]["p_value"], p_value, rel=1e-7)
    assert result["data"]["dof"] == dof == 2


def check_normality(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = sps.shapiro(col(df, "value"))
    close(result["data"]["shapiro_w"], expected.statistic, rel=1e-9)
    close(result["data"]["shapiro_p"], expected.pvalue, rel=1e-6)


def check_ab_test(result: dict[str, Any], df: pl.DataFrame) -> None:
    treated, control = col(df, "converted", group="B"), col(df, "converted", group="A")
    counts = [int(treated.sum()), int(control.sum())]
    z, p_value = proportions_ztest(counts, [len(treated), len(control)])
    data = result["data"]
    close(data["z"], z, rel=1e-9)
    close(data["p_value"], p_value, rel=1e-7)
    close(data["difference"], treated.mean() - control.mean())


def check_linear(result: dict[str, Any], df: pl.DataFrame) -> None:
    x = np.column_stack([np.ones(300), col(df, "x1"), col(df, "x2")])
    expected, *_ = np.linalg.lstsq(x, col(df, "y"), rcond=None)
    coefs = {row["term"]: row["coef"] for row in result["data"]["coefficients"]}
    actual = [coefs["const"], coefs["x1"], coefs["x2"]]
    assert np.allclose(actual, expected, rtol=1e-9, atol=1e-12)


def check_polynomial(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = np.polyfit(col(df, "x1"), col(df, "y"), 2)[::-1]  # const, x1, x1^2
    actual = [row["coef"] for row in result["data"]["coefficients"]]
    assert np.allclose(actual, expected, rtol=1e-7, atol=1e-10)


def check_logistic(result: dict[str, Any], df: pl.DataFrame) -> None:
    import statsmodels.api as sm

    x = sm.add_constant(np.column_stack([col(df, "x1"), col(df, "x2")]))
    expected = sm.Logit(col(df, "label"), x).fit(disp=0).params
    actual = [row["coef"] for row in result["data"]["coefficients"]]
    assert np.allclose(actual, expected, rtol=1e-4)


def _split(df: pl.DataFrame, target: str, stratify: bool) -> list[np.ndarray]:
    x = np.column_stack([col(df, "x1"), col(df, "x2")])
    y = df[target].to_numpy()
    return list(
        train_test_split(x, y, test_size=0.25, random_state=0, stratify=y if stratify else None)
    )


def check_tree(result: dict[str, Any], df: pl.DataFrame) -> None:
    x_train, x_test, y_train, y_test = _split(df, "label", stratify=True)
    model = tree.DecisionTreeClassifier(random_state=0).fit(x_train, y_train)
    data = result["data"]
    assert (data["train_rows"], data["test_rows"]) == (225, 75)
    close(data["metrics"]["accuracy"], accuracy_score(y_test, model.predict(x_test)))


def check_forest(result: dict[str, Any], df: pl.DataFrame) -> None:
    x_train, x_test, y_train, y_test = _split(df, "y", stratify=False)
    model = ensemble.RandomForestRegressor(random_state=0).fit(x_train, y_train)
    close(result["data"]["metrics"]["r2"], r2_score(y_test, model.predict(x_test)), rel=1e-9)


def check_boosting(result: dict[str, Any], df: pl.DataFrame) -> None:
    x_train, x_test, y_train, y_test = _split(df, "label", stratify=True)
    model = ensemble.HistGradientBoostingClassifier(random_state=0).fit(x_train, y_train)
    close(result["data"]["metrics"]["accuracy"], accuracy_score(y_test, model.predict(x_test)))


def check_kmeans(result: dict[str, Any], df: pl.DataFrame) -> None:
    data = result["data"]
    blobs, labels = df["blob"].to_numpy(), np.array(data["labels"])
    assert sorted(data["sizes"].values()) == [100, 100, 100]
    for label in set(labels):  # every cluster is exactly one blob
        assert len(set(blobs[labels == label])) == 1
    scaled = StandardScaler().fit_transform(df.select("cx", "cy").to_numpy())
    close(data["silhouette"], silhouette_score(scaled, blobs), rel=1e-9)


def check_dbscan(result: dict[str, Any], df: pl.DataFrame) -> None:
    data = result["data"]
    blobs, labels = df["blob"].to_numpy(), np.array(data["labels"])
    assert data["n_clusters"] == 3
    assert data["noise"] == int((labels == -1).sum())
    for label in set(labels) - {-1}:
        assert len(set(blobs[labels == label])) == 1


def check_decompose(result: dict[str, Any], df: pl.DataFrame) -> None:
    expected = seasonal_decompose(
        col(df, "sales"), period=12, model="additive", extrapolate_trend=12
    )
    seasonal = np.array(result["data"]["seasonal"], dtype=float)
    assert result["data"]["period"] == 12
    assert np.allclose(seasonal, expected.seasonal, rtol=1e-9)
    # and close to the season the data was generated with (15 sin(2 pi t / 12), noise sd 1)
    assert np.abs(seasonal[:12] - 15 * np.sin(2 * np.pi * np.arange(12) / 12)).max() < 1.5


def _arima_check(order: tuple[int, int, int], seasonal: tuple[int, int, int, int]) -> Check:
    def check(result: dict[str, Any], df: pl.DataFrame) -> None:
        fit = ARIMA(col(df, "sales"), order=order, seasonal_order=seasonal).fit()
        forecast = fit.get_forecast(6)
        bounds = forecast.conf_int(alpha=0.05)
        data = result["data"]
        assert data["dates"][0] == "2024-01-01" and len(data["forecast"]) == 6
        assert np.allclose(data["forecast"], forecast.predicted_mean, rtol=1e-6)
        assert np.allclose(data["lower"], bounds[:, 0], rtol=1e-6)
        assert np.allclose(data["upper"], bounds[:, 1], rtol=1e-6)

    return check


def check_holt_winters(result: dict[str, Any], df: pl.DataFrame) -> None:
    data = result["data"]
    assert data["seasonal_periods"] == 12 and len(data["forecast"]) == 6
    assert all(
        lo < f < hi
        for lo, f, hi in zip(data["lower"], data["forecast"], data["upper"], strict=True)
    )
    # The fitted trend (+2 per month) carries on: next January is about a year above the last.
    last_january = col(df, "sales")[48]
    assert data["forecast"][0] == pytest.approx(last_january + 24, abs=4)


CASES = [
    Case("describe", "describe", "analysis", {"columns": ["x1", "group"]}, check_describe),
    Case("pearson", "correlation", "analysis", {"columns": ["x1", "x2", "y"]}, check_pearson),
    Case(
        "spearman",
        "correlation",
        "analysis",
        {"columns": ["x1", "x2", "y"], "method": "spearman"},
        check_spearman,
    ),
    Case(
        "ttest_two",
        "hypothesis_test",
        "analysis",
        {"test": "ttest", "value": "value", "group": "group"},
        check_ttest_two,
    ),
    Case(
        "ttest_one",
        "hypothesis_test",
        "analysis",
        {"test": "ttest", "kind": "one_sample", "column": "value", "popmean": 10},
        check_ttest_one,
    ),
    Case(
        "ttest_paired",
        "hypothesis_test",
        "analysis",
        {"test": "ttest", "kind": "paired", "before": "before", "after": "after"},
        check_ttest_paired,
    ),
    Case(
        "mann_whitney",
        "hypothesis_test",
        "analysis",
        {"test": "mann_whitney", "value": "value", "group": "group"},
        check_mann_whitney,
    ),
    Case(
        "anova",
        "hypothesis_test",
        "analysis",
        {"test": "anova", "value": "value", "group": "segment"},
        check_anova,
    ),
    Case(
        "kruskal",
        "hypothesis_test",
        "analysis",
        {"test": "kruskal", "value": "value", "group": "segment"},
        check_kruskal,
    ),
    Case(
        "chi_square",
        "hypothesis_test",
        "analysis",
        {"test": "chi_square", "row": "group", "column": "segment"},
        check_chi_square,
    ),
    Case(
        "normality",
        "hypothesis_test",
        "analysis",
        {"test": "normality", "column": "value"},
        check_normality,
    ),
    Case(
        "ab_test",
        "hypothesis_test",
        "analysis",
        {
            "test": "ab_test",
            "group": "group",
            "metric": "converted",
            "control": "A",
            "treatment": "B",
        },
        check_ab_test,
    ),
    Case(
        "linear",
        "regression",
        "analysis",
        {"model": "linear", "target": "y", "features": ["x1", "x2"]},
        check_linear,
    ),
    Case(
        "polynomial",
        "regression",
        "analysis",
        {"model": "polynomial", "target": "y", "feature": "x1", "degree": 2},
        check_polynomial,
    ),
    Case(
        "logistic",
        "regression",
        "analysis",
        {"model": "logistic", "target": "label", "features": ["x1", "x2"]},
        check_logistic,
    ),
    Case(
        "decision_tree",
        "train_model",
        "analysis",
        {
            "target": "label",
            "features": ["x1", "x2"],
            "algorithm": "decision_tree",
            "task": "classification",
        },
        check_tree,
    ),
    Case(
        "random_forest",
        "train_model",
        "analysis",
        {"target": "y", "features": ["x1", "x2"], "algorithm": "random_forest"},
        check_forest,
    ),
    Case(
        "gradient_boosting",
        "train_model",
        "analysis",
        {
            "target": "label",
            "features": ["x1", "x2"],
            "algorithm": "gradient_boosting",
            "task": "classification",
        },
        check_boosting,
    ),
    Case(
        "kmeans",
        "clustering",
        "analysis",
        {"method": "kmeans", "features": ["cx", "cy"], "k": 3},
        check_kmeans,
    ),
    Case(
        "dbscan",
        "clustering",
        "analysis",
        {"method": "dbscan", "features": ["cx", "cy"]},
        check_dbscan,
    ),
    Case(
        "decompose",
        "decompose",
        "series",
        {"date_column": "month", "value_column": "sales", "period": 12},
        check_decompose,
    ),
    Case(
        "arima",
        "forecast",
        "series",
        {"date_column": "month", "value_column": "sales", "horizon": 6, "method": "arima"},
        _arima_check((1, 1, 1), (0, 0, 0, 0)),
    ),
    Case(
        "sarima",
        "forecast",
        "series",
        {
            "date_column": "month",
            "value_column": "sales",
            "horizon": 6,
            "method": "sarima",
            "seasonal_order": [0, 1, 1, 12],
        },
        _arima_check((1, 1, 1), (0, 1, 1, 12)),
    ),
    Case(
        "holt_winters",
        "forecast",
        "series",
        {
            "date_column": "month",
            "value_column": "sales",
            "horizon": 6,
            "method": "holt_winters",
            "period": 12,
        },
        check_holt_winters,
    ),
]
