"""Binary logistic regression with statsmodels (Logit with an intercept)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import polars as pl
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_int, fmt_p
from chatdata.analysis.models.common import coefficient_table, coefficients, describe_terms, notes
from chatdata.analysis.models.prepare import MissingPolicy, prepare_design
from chatdata.analysis.result import AnalysisResult
from chatdata.errors import BadRequest


def binary_target(target: pl.Series, positive: str | None) -> tuple[np.ndarray, str, str]:
    """0/1 outcome from a two-valued column; `positive` defaults to the second sorted label."""
    labels = sorted(str(v) for v in target.cast(pl.String).unique().to_list())
    if len(labels) != 2:
        raise BadRequest(
            f"logistic regression needs a target with exactly 2 values; found {len(labels)}"
        )
    chosen = str(positive) if positive is not None else labels[1]
    if chosen not in labels:
        raise BadRequest(
            f"positive class {chosen!r} is not a value of the target ({', '.join(labels)})"
        )
    negative = labels[0] if chosen == labels[1] else labels[1]
    return (target.cast(pl.String) == chosen).to_numpy().astype(float), chosen, negative


def _fit_logit(y: np.ndarray, x: np.ndarray) -> tuple[Any, bool]:
    """Fit Logit; report perfect separation (statsmodels warns and does not converge)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = sm.Logit(y, x).fit(disp=0, maxiter=200)
    separated = any("separation" in str(w.message).lower() for w in caught)
    return fit, separated


def logistic_regression(
    frame: object,
    target: str,
    features: list[str],
    *,
    positive: str | None = None,
    alpha: float = 0.05,
    max_rows: int = 200_000,
    seed: int = 0,
    missing: MissingPolicy = "drop",
) -> AnalysisResult:
    """Logistic regression of a two-valued `target` on `features`; odds ratios and pseudo-R²."""
    design = prepare_design(frame, target, features, max_rows=max_rows, seed=seed, missing=missing)
    assert design.target is not None
    y, chosen, negative = binary_target(design.target, positive)
    x = sm.add_constant(design.x, has_constant="add")
    fit, separated = _fit_logit(y, x)
    rows = coefficients(fit, ["const", *design.names], alpha)
    for row in rows:
        row["odds_ratio"] = float(np.exp(row["coef"])) if abs(row["coef"]) < 700 else None
    quality = _fit_quality(fit, x, y)
    summary = (
        f"Logistic regression of {target} = {chosen} on {', '.join(features)} "
        f"(n = {fmt_int(len(y))}): McFadden pseudo-R² = {quality['pseudo_r2']:.4f}, "
        f"LR test p {fmt_p(quality['llr_p_value'])}, accuracy {quality['accuracy']:.4f}, "
        f"ROC AUC {quality['roc_auc']:.4f}. Coefficients (log-odds): {describe_terms(rows)}."
        + _warning(separated, quality["converged"])
    )
    figure = charts.bar(
        [r["term"] for r in rows[1:]],
        [r["coef"] for r in rows[1:]],
        f"Log-odds coefficients for {target} = {chosen}",
        "term",
        "coefficient",
    )
    data = {
        "target": target,
        "positive": chosen,
        "negative": negative,
        "features": features,
        "coefficients": rows,
        **quality,
        "n": len(y),
        "perfect_separation": separated,
        **notes(design),
    }
    return AnalysisResult(
        kind="logistic_regression",
        summary=summary,
        data=data,
        tables=[coefficient_table(rows, "z")],
        figures=[figure],
        sample_note=design.sample_note,
    )


def _fit_quality(fit: Any, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    probability = np.asarray(fit.predict(x))
    return {
        "pseudo_r2": float(fit.prsquared),
        "llr_p_value": float(fit.llr_pvalue),
        "log_likelihood": float(fit.llf),
        "accuracy": float(np.mean((probability >= 0.5) == (y == 1))),
        "roc_auc": float(roc_auc_score(y, probability)),
        "converged": bool(fit.mle_retvals.get("converged", True)),
    }


def _warning(separated: bool, converged: bool) -> str:
    if separated:
        return (
            " Warning: the classes are (almost) perfectly separated by the features, so the "
            "coefficients are not finite estimates and their p-values are meaningless."
        )
    if not converged:
        return " Warning: the fit did not converge; treat the coefficients with caution."
    return ""
