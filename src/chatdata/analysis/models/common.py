"""Helpers shared by the model functions: coefficient tables, plot subsets, notes."""

from __future__ import annotations

from typing import Any

import numpy as np

from chatdata.analysis.formatting import fmt_num, fmt_p
from chatdata.analysis.models.prepare import Design
from chatdata.analysis.result import make_table

PLOT_POINTS = 2000


def plot_subset(n: int, seed: int, limit: int = PLOT_POINTS) -> np.ndarray:
    """Indices of at most `limit` points to draw (all when n <= limit), sorted."""
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False))


def coefficients(fit: Any, names: list[str], alpha: float) -> list[dict[str, Any]]:
    """Per-term coefficient, std error, statistic, p-value and interval of a statsmodels fit."""
    params, errors = np.asarray(fit.params), np.asarray(fit.bse)
    stats, pvalues = np.asarray(fit.tvalues), np.asarray(fit.pvalues)
    intervals = np.asarray(fit.conf_int(alpha=alpha))
    return [
        {
            "term": term,
            "coef": float(params[i]),
            "std_err": float(errors[i]),
            "statistic": float(stats[i]),
            "p_value": float(pvalues[i]),
            "ci_low": float(intervals[i, 0]),
            "ci_high": float(intervals[i, 1]),
        }
        for i, term in enumerate(names)
    ]


def coefficient_table(rows: list[dict[str, Any]], statistic: str) -> dict[str, Any]:
    """The coefficients as a summary table (statistic named 't' or 'z')."""
    columns = ["term", "coef", "std_err", statistic, "p_value", "ci_low", "ci_high"]
    keys = ["term", "coef", "std_err", "statistic", "p_value", "ci_low", "ci_high"]
    return make_table("Coefficients", columns, [[row[k] for k in keys] for row in rows])


def describe_terms(rows: list[dict[str, Any]], limit: int = 5) -> str:
    """'x1 2.01 (p < 0.0001), x2 -0.5 (p = 0.03)' for the non-constant terms by |statistic|."""
    terms = sorted((r for r in rows if r["term"] != "const"), key=lambda r: -abs(r["statistic"]))
    return ", ".join(
        f"{r['term']} {fmt_num(r['coef'])} (p {fmt_p(r['p_value'])})" for r in terms[:limit]
    )


def notes(design: Design) -> dict[str, Any]:
    """The data-handling facts every model result carries."""
    return {
        "rows_total": design.rows_total,
        "rows_used": design.rows_used,
        "missing_policy": design.policy_note,
        "categorical_features": design.categorical,
        "encoded_features": design.names,
    }
