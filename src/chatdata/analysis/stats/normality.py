"""Normality tests: Shapiro-Wilk on at most 5,000 values and D'Agostino-Pearson K²."""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_p
from chatdata.analysis.frames import sample_note, to_lazy
from chatdata.analysis.result import AnalysisResult
from chatdata.analysis.stats.samples import column_values
from chatdata.errors import BadRequest

SHAPIRO_LIMIT = 5000


def normality(
    frame: object, column: str, alpha: float = 0.05, max_rows: int = 500_000, seed: int = 0
) -> AnalysisResult:
    """Test whether `column` looks normally distributed (Shapiro-Wilk and D'Agostino K²).

    Shapiro-Wilk runs on a seeded sample of at most 5,000 values (its p-value is not
    reliable beyond that); K² uses up to `max_rows` values.
    """
    values, note = column_values(to_lazy(frame), column, max_rows, seed)
    if values.size < 8:
        raise BadRequest(f"normality tests need at least 8 values; {column!r} has {values.size}")
    shapiro_values = values
    shapiro_note = None
    if values.size > SHAPIRO_LIMIT:
        rng = np.random.default_rng(seed)
        shapiro_values = rng.choice(values, size=SHAPIRO_LIMIT, replace=False)
        shapiro_note = "Shapiro-Wilk " + sample_note(SHAPIRO_LIMIT, values.size, seed, "computed")
    shapiro = sps.shapiro(shapiro_values)
    k2 = sps.normaltest(values)
    w, p_w = float(shapiro.statistic), float(shapiro.pvalue)
    k2_stat, p_k2 = float(k2.statistic), float(k2.pvalue)
    normal = p_w >= alpha and p_k2 >= alpha
    skew, kurt = float(sps.skew(values)), float(sps.kurtosis(values))
    summary = (
        f"{column} {'looks normal' if normal else 'does not look normal'} at alpha = {alpha:g}: "
        f"Shapiro-Wilk W = {w:.4f} (p {fmt_p(p_w)}, n = {shapiro_values.size}), "
        f"D'Agostino K² = {k2_stat:.3f} (p {fmt_p(p_k2)}, n = {values.size}); "
        f"skewness {skew:.3f}, excess kurtosis {kurt:.3f}."
    )
    notes = "; ".join(n for n in (note, shapiro_note) if n) or None
    data = {
        "n": values.size,
        "shapiro_n": shapiro_values.size,
        "shapiro_w": w,
        "shapiro_p": p_w,
        "k2": k2_stat,
        "k2_p": p_k2,
        "skewness": skew,
        "excess_kurtosis": kurt,
        "normal": normal,
        "alpha": alpha,
    }
    figure = charts.histogram(values.tolist(), f"Distribution of {column}", column)
    return AnalysisResult(
        kind="normality", summary=summary, data=data, figures=[figure], sample_note=notes
    )
