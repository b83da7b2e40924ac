"""Seasonal decomposition (statsmodels) into trend, seasonal and residual components."""

from __future__ import annotations

from typing import Literal

import numpy as np
from statsmodels.tsa.seasonal import seasonal_decompose
from statsmodels.tsa.stattools import acf

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_num
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.analysis.timeseries.series import SEASONAL_PERIOD, Aggregation, Series, regular_series
from chatdata.errors import BadRequest


def infer_period(series: Series) -> int:
    """The calendar period of the frequency if the data covers two cycles, else the ACF peak."""
    n = len(series.values)
    default = SEASONAL_PERIOD[series.freq]
    if default is not None and n >= 2 * default:
        return default
    if n < 8:
        raise BadRequest("too few periods to find a seasonal period; give 'period'")
    correlations = acf(series.values - series.values.mean(), nlags=n // 2, fft=True)
    peaks = [
        lag
        for lag in range(2, len(correlations) - 1)
        if correlations[lag] > correlations[lag - 1] and correlations[lag] >= correlations[lag + 1]
    ]
    if not peaks:
        raise BadRequest("no seasonal period found in the autocorrelation; give 'period'")
    return max(peaks, key=lambda lag: correlations[lag])


def _strength(component: np.ndarray, residual: np.ndarray) -> float:
    """Hyndman's strength: max(0, 1 - var(residual) / var(component + residual))."""
    mask = np.isfinite(component) & np.isfinite(residual)
    total = np.var(component[mask] + residual[mask])
    return float(max(0.0, 1 - np.var(residual[mask]) / total)) if total > 0 else 0.0


def _components(series: Series, period: int, model: str) -> dict[str, np.ndarray]:
    """Observed, trend, seasonal and residual arrays (trend extrapolated at the ends)."""
    if period < 2 or len(series.values) < 2 * period:
        raise BadRequest(
            f"decomposition with period {period} needs at least {2 * period} "
            f"periods; have {len(series.values)}"
        )
    if model == "multiplicative" and (series.values <= 0).any():
        raise BadRequest("a multiplicative decomposition needs strictly positive values")
    parts = seasonal_decompose(series.values, model=model, period=period, extrapolate_trend=period)
    return {
        "observed": series.values,
        "trend": np.asarray(parts.trend),
        "seasonal": np.asarray(parts.seasonal),
        "residual": np.asarray(parts.resid),
    }


def decompose(
    frame: object,
    date_column: str,
    value_column: str,
    freq: str | None = None,
    period: int | None = None,
    model: Literal["additive", "multiplicative"] = "additive",
    agg: Aggregation = "mean",
) -> AnalysisResult:
    """Split the resampled series into trend + seasonal + residual (moving averages)."""
    series = regular_series(frame, date_column, value_column, freq, agg)
    chosen = period or infer_period(series)
    parts = _components(series, chosen, model)
    pattern = parts["seasonal"][:chosen]
    amplitude = float((pattern.max() - pattern.min()) / 2)
    seasonal_strength = _strength(parts["seasonal"], parts["residual"])
    trend_strength = _strength(parts["trend"], parts["residual"])
    peak = int(np.argmax(pattern))
    summary = (
        f"{model.capitalize()} decomposition of {value_column} with a period of {chosen} "
        f"{series.period_name}s: seasonal amplitude {fmt_num(amplitude)} (half the "
        f"peak-to-trough range), seasonal strength {seasonal_strength:.2f}, trend strength "
        f"{trend_strength:.2f}; the seasonal peak falls at position {peak + 1} of {chosen} in "
        f"each cycle (first at {series.dates[peak]})."
    )
    panels = {name: values.tolist() for name, values in parts.items()}
    figure = charts.stacked_lines(series.dates, panels, f"Decomposition of {value_column}")
    table = make_table(
        "Seasonal pattern (one cycle)",
        ["position", "first date", "effect"],
        [[i + 1, series.dates[i], float(v)] for i, v in enumerate(pattern)],
    )
    data = {
        "period": chosen,
        "model": model,
        "freq": series.freq,
        "seasonal_amplitude": amplitude,
        "seasonal_pattern": pattern.tolist(),
        "seasonal_strength": seasonal_strength,
        "trend_strength": trend_strength,
        "dates": series.dates,
        "trend": panels["trend"],
        "seasonal": panels["seasonal"],
        "residual": panels["residual"],
        "interpolated_periods": series.filled,
    }
    return AnalysisResult(
        kind="decomposition", summary=summary, data=data, tables=[table], figures=[figure]
    )
