"""Linear and polynomial least-squares regression with statsmodels (OLS with an intercept)."""

from __future__ import annotations

from typing import Any

import numpy as np
import statsmodels.api as sm

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_int, fmt_p
from chatdata.analysis.models.common import (
    coefficient_table,
    coefficients,
    describe_terms,
    notes,
    plot_subset,
)
from chatdata.analysis.models.prepare import Design, MissingPolicy, prepare_design
from chatdata.analysis.result import AnalysisResult
from chatdata.errors import BadRequest


def _target_values(design: Design, target: str) -> np.ndarray:
    assert design.target is not None
    if not design.target.dtype.is_numeric():
        raise BadRequest(f"regression needs a numeric target; {target!r} is {design.target.dtype}")
    return design.target.cast(float).to_numpy()


def _fit_ols(
    design: Design, y: np.ndarray, alpha: float
) -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    x = sm.add_constant(design.x, has_constant="add")
    if x.shape[0] <= x.shape[1]:
        raise BadRequest(f"{x.shape[0]} rows are too few for {x.shape[1]} coefficients")
    fit = sm.OLS(y, x).fit()
    rows = coefficients(fit, ["const", *design.names], alpha)
    metrics = {
        "r2": float(fit.rsquared),
        "adj_r2": float(fit.rsquared_adj),
        "f": float(fit.fvalue),
        "f_p_value": float(fit.f_pvalue),
        "aic": float(fit.aic),
        "bic": float(fit.bic),
        "rmse": float(np.sqrt(np.mean(fit.resid**2))),
        "n": int(fit.nobs),
    }
    return fit, rows, metrics


def linear_regression(
    frame: object,
    target: str,
    features: list[str],
    *,
    alpha: float = 0.05,
    max_rows: int = 200_000,
    seed: int = 0,
    missing: MissingPolicy = "drop",
) -> AnalysisResult:
    """Ordinary least squares of `target` on `features` (categorical ones one-hot encoded)."""
    design = prepare_design(frame, target, features, max_rows=max_rows, seed=seed, missing=missing)
    y = _target_values(design, target)
    fit, rows, metrics = _fit_ols(design, y, alpha)
    fitted = np.asarray(fit.fittedvalues)
    shown = plot_subset(len(y), seed)
    summary = (
        f"Linear regression of {target} on {', '.join(features)} (n = {fmt_int(metrics['n'])}): "
        f"R² = {metrics['r2']:.4f}, adjusted R² = {metrics['adj_r2']:.4f}, "
        f"F-test p {fmt_p(metrics['f_p_value'])}. "
        f"Coefficients: {describe_terms(rows)}; intercept {rows[0]['coef']:.4g}."
    )
    figures = [
        charts.scatter(
            fitted[shown].tolist(),
            y[shown].tolist(),
            f"Actual vs predicted {target}",
            "predicted",
            "actual",
            lines={
                "y = x": (
                    [float(fitted.min()), float(fitted.max())],
                    [float(fitted.min()), float(fitted.max())],
                )
            },
        ),
        charts.histogram(np.asarray(fit.resid).tolist(), "Residuals", "residual"),
    ]
    data = {
        "target": target,
        "features": features,
        "coefficients": rows,
        **metrics,
        **notes(design),
    }
    return AnalysisResult(
        kind="linear_regression",
        summary=summary,
        data=data,
        tables=[coefficient_table(rows, "t")],
        figures=figures,
        sample_note=design.sample_note,
    )


def polynomial_regression(
    frame: object,
    target: str,
    feature: str,
    degree: int = 2,
    *,
    alpha: float = 0.05,
    max_rows: int = 200_000,
    seed: int = 0,
    missing: MissingPolicy = "drop",
) -> AnalysisResult:
    """Least squares of `target` on the powers 1..`degree` of one numeric `feature`."""
    if not 1 <= degree <= 10:
        raise BadRequest("degree must be between 1 and 10")
    design = prepare_design(frame, target, [feature], max_rows=max_rows, seed=seed, missing=missing)
    if design.categorical:
        raise BadRequest(
            f"polynomial regression needs a numeric feature; {feature!r} is categorical"
        )
    base = design.x[:, 0]
    design.x = _powers(base, degree)
    design.names = [feature] + [f"{feature}^{p}" for p in range(2, degree + 1)]
    y = _target_values(design, target)
    fit, rows, metrics = _fit_ols(design, y, alpha)
    grid = np.linspace(float(base.min()), float(base.max()), 200)
    curve = np.asarray(fit.predict(sm.add_constant(_powers(grid, degree), has_constant="add")))
    shown = plot_subset(len(y), seed)
    terms = ", ".join(f"{r['term']} {r['coef']:.4g}" for r in rows)
    summary = (
        f"Polynomial regression (degree {degree}) of {target} on {feature} "
        f"(n = {fmt_int(metrics['n'])}): R² = {metrics['r2']:.4f}, "
        f"adjusted R² = {metrics['adj_r2']:.4f}. Coefficients: {terms}."
    )
    figure = charts.scatter(
        base[shown].tolist(),
        y[shown].tolist(),
        f"{target} vs {feature}",
        feature,
        target,
        lines={f"degree {degree} fit": (grid.tolist(), curve.tolist())},
    )
    data = {
        "target": target,
        "feature": feature,
        "degree": degree,
        "coefficients": rows,
        **metrics,
        **notes(design),
    }
    return AnalysisResult(
        kind="polynomial_regression",
        summary=summary,
        data=data,
        tables=[coefficient_table(rows, "t")],
        figures=[figure],
        sample_note=design.sample_note,
    )


def _powers(values: np.ndarray, degree: int) -> np.ndarray:
    """Columns values**1 .. values**degree."""
    return np.column_stack([values**p for p in range(1, degree + 1)])
