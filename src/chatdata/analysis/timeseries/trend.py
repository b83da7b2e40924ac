"""Resampling and trend: per-period aggregates, rolling mean, and a linear slope per period."""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_num, fmt_p
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.analysis.timeseries.series import (
    PERIOD_NAMES,
    SEASONAL_PERIOD,
    Aggregation,
    regular_series,
    resample_frame,
)
from chatdata.errors import BadRequest

TABLE_ROWS = 500


def resample(
    frame: object,
    date_column: str,
    value_column: str,
    freq: str | None = "M",
    agg: Aggregation = "mean",
) -> AnalysisResult:
    """Aggregate `value_column` per day/week/month/quarter/year (`freq` D/W/M/Q/Y)."""
    grouped, chosen = resample_frame(frame, date_column, value_column, freq, agg)
    dates = grouped.get_column(date_column).to_list()
    values = grouped.get_column(value_column).to_list()
    period = PERIOD_NAMES[chosen]
    finite = [v for v in values if v is not None]
    summary = (
        f"{agg.capitalize()} of {value_column} per {period}: {len(values)} {period}s "
        f"from {dates[0]} to {dates[-1]}, ranging {fmt_num(min(finite) if finite else None)} to "
        f"{fmt_num(max(finite) if finite else None)}."
    )
    table = make_table(
        f"{value_column} per {period}",
        [date_column, value_column],
        [[d, v] for d, v in zip(dates[:TABLE_ROWS], values[:TABLE_ROWS], strict=True)],
    )
    figure = charts.line(
        dates,
        {f"{agg} {value_column}": values},
        f"{agg.capitalize()} {value_column} per {period}",
        date_column,
        value_column,
    )
    data = {"freq": chosen, "agg": agg, "dates": dates, "values": values, "periods": len(values)}
    return AnalysisResult(
        kind="resample", summary=summary, data=data, tables=[table], figures=[figure]
    )


def trend(
    frame: object,
    date_column: str,
    value_column: str,
    freq: str | None = None,
    window: int | None = None,
    agg: Aggregation = "mean",
) -> AnalysisResult:
    """Rolling mean and least-squares slope per period of a resampled series."""
    series = regular_series(frame, date_column, value_column, freq, agg)
    n = len(series.values)
    if n < 3:
        raise BadRequest("a trend needs at least 3 periods")
    size = window or min(SEASONAL_PERIOD[series.freq] or 3, max(n // 2, 1))
    kernel = np.ones(size) / size
    rolling = np.full(n, np.nan)
    rolling[size - 1 :] = np.convolve(series.values, kernel, mode="valid")
    fit = sps.linregress(np.arange(n, dtype=float), series.values)
    slope, intercept = float(fit.slope), float(fit.intercept)
    p, r2 = float(fit.pvalue), float(fit.rvalue) ** 2
    direction = "rises" if slope > 0 else "falls"
    period = series.period_name
    summary = (
        f"{value_column} {direction} by {fmt_num(abs(slope))} per {period} on average "
        f"over {n} {period}s "
        f"(linear trend p {fmt_p(p)}, R² = {r2:.3f}); the {size}-{period} rolling mean went from "
        f"{fmt_num(float(rolling[size - 1]))} to {fmt_num(float(rolling[-1]))}."
        + (f" {series.filled} empty {period}(s) were interpolated." if series.filled else "")
    )
    line_values = (intercept + slope * np.arange(n)).tolist()
    figure = charts.line(
        series.dates,
        {
            value_column: series.values.tolist(),
            f"{size}-{period} rolling mean": rolling.tolist(),
            "linear trend": line_values,
        },
        f"Trend of {value_column}",
        date_column,
        value_column,
    )
    data = {
        "freq": series.freq,
        "periods": n,
        "slope_per_period": slope,
        "intercept": intercept,
        "p_value": p,
        "r2": r2,
        "window": size,
        "rolling_mean": rolling.tolist(),
        "dates": series.dates,
        "values": series.values.tolist(),
        "interpolated_periods": series.filled,
    }
    return AnalysisResult(kind="trend", summary=summary, data=data, figures=[figure])
