"""Forecasts with prediction intervals: ARIMA, SARIMA, Holt-Winters (ETS) and Prophet.

The series is resampled to a regular frequency first (see `series.py`). ARIMA/SARIMA use
statsmodels' state-space ARIMA; Holt-Winters uses statsmodels' ETS model (additive errors),
whose prediction intervals are analytic; Prophet is used when the `prophet` package is
installed (its wheel bundles a compiled Stan model, so it works offline).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_num
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.analysis.timeseries.decompose import infer_period
from chatdata.analysis.timeseries.series import Aggregation, Series, future_dates, regular_series
from chatdata.errors import BadRequest

Method = Literal["arima", "sarima", "holt_winters", "prophet"]
METHODS = ("arima", "sarima", "holt_winters", "prophet")


@dataclass(frozen=True)
class Forecast:
    """Point forecasts and interval bounds for the next periods, and the fitted model's facts."""

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    model: str
    details: dict[str, Any]


def _seasonal_period(series: Series, given: int | None) -> int | None:
    if given is not None:
        return given
    try:
        return infer_period(series)
    except BadRequest:
        return None


def _arima(
    series: Series,
    horizon: int,
    alpha: float,
    order: tuple[int, int, int],
    seasonal_order: tuple[int, int, int, int] | None,
) -> Forecast:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ARIMA(series.values, order=order, seasonal_order=seasonal_order or (0, 0, 0, 0)).fit()
    prediction = fit.get_forecast(horizon)
    bounds = np.asarray(prediction.conf_int(alpha=alpha))
    name = f"ARIMA{order}" + (f"x{seasonal_order}" if seasonal_order else "")
    return Forecast(
        np.asarray(prediction.predicted_mean),
        bounds[:, 0],
        bounds[:, 1],
        name,
        {
            "order": list(order),
            "seasonal_order": list(seasonal_order) if seasonal_order else None,
            "aic": float(fit.aic),
        },
    )


def _holt_winters(
    series: Series, horizon: int, alpha: float, period: int | None, damped: bool
) -> Forecast:
    seasonal = "add" if period is not None and len(series.values) >= 2 * period else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(
            pl.Series(series.values).to_pandas(),
            error="add",
            trend="add",
            damped_trend=damped,
            seasonal=seasonal,
            seasonal_periods=period if seasonal else None,
        )
        fit = model.fit(disp=False)
    n = len(series.values)
    frame = fit.get_prediction(start=n, end=n + horizon - 1).summary_frame(alpha=alpha)
    name = (
        "Holt-Winters (ETS A,A"
        + ("d" if damped else "")
        + (f",A, period {period})" if seasonal else ",N)")
    )
    return Forecast(
        frame["mean"].to_numpy(),
        frame["pi_lower"].to_numpy(),
        frame["pi_upper"].to_numpy(),
        name,
        {"seasonal_periods": period if seasonal else None, "damped": damped, "aic": float(fit.aic)},
    )


def _prophet(series: Series, horizon: int, alpha: float) -> Forecast:
    try:
        prophet = importlib.import_module("prophet")
    except ImportError as error:
        available = ", ".join(m for m in METHODS if m != "prophet")
        raise BadRequest(
            f"Prophet is not installed on this server; available methods: {available}",
            details={"available": [m for m in METHODS if m != "prophet"]},
        ) from error
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)
    history = pl.DataFrame({"ds": series.dates, "y": series.values}).with_columns(
        pl.col("ds").cast(pl.Datetime)
    )
    future = pl.DataFrame({"ds": future_dates(series, horizon)}).with_columns(
        pl.col("ds").cast(pl.Datetime)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = prophet.Prophet(interval_width=1 - alpha)
        model.fit(history.to_pandas())
        predicted = pl.from_pandas(
            model.predict(future.to_pandas())[["yhat", "yhat_lower", "yhat_upper"]]
        )
    return Forecast(
        predicted.get_column("yhat").to_numpy(),
        predicted.get_column("yhat_lower").to_numpy(),
        predicted.get_column("yhat_upper").to_numpy(),
        "Prophet",
        {},
    )


def _run(
    series: Series,
    method: str,
    horizon: int,
    alpha: float,
    order: tuple[int, int, int],
    seasonal_order: tuple[int, int, int, int] | None,
    period: int | None,
    damped: bool,
) -> Forecast:
    if method == "arima":
        return _arima(series, horizon, alpha, order, None)
    if method == "sarima":
        s = _seasonal_period(series, period)
        if seasonal_order is None and s is None:
            raise BadRequest("SARIMA needs a seasonal period; give 'period' or 'seasonal_order'")
        return _arima(series, horizon, alpha, order, seasonal_order or (1, 1, 1, s or 0))
    if method == "holt_winters":
        return _holt_winters(series, horizon, alpha, _seasonal_period(series, period), damped)
    return _prophet(series, horizon, alpha)


def forecast(
    frame: object,
    date_column: str,
    value_column: str,
    horizon: int = 12,
    method: Method = "arima",
    *,
    freq: str | None = None,
    agg: Aggregation = "mean",
    order: tuple[int, int, int] = (1, 1, 1),
    seasonal_order: tuple[int, int, int, int] | None = None,
    period: int | None = None,
    damped: bool = False,
    alpha: float = 0.05,
) -> AnalysisResult:
    """Forecast the next `horizon` periods with `method`, with (1 - alpha) prediction intervals."""
    if method not in METHODS:
        raise BadRequest(
            f"unknown forecasting method {method!r}; available: {', '.join(METHODS)}",
            details={"available": list(METHODS)},
        )
    if not 1 <= horizon <= 1000:
        raise BadRequest("horizon must be between 1 and 1000 periods")
    series = regular_series(frame, date_column, value_column, freq, agg)
    if len(series.values) < 8:
        raise BadRequest(f"forecasting needs at least 8 periods; have {len(series.values)}")
    result = _run(series, method, horizon, alpha, order, seasonal_order, period, damped)
    dates = future_dates(series, horizon)
    return _forecast_result(series, result, dates, method, alpha)


def _forecast_result(
    series: Series, result: Forecast, dates: list[dt.date], method: str, alpha: float
) -> AnalysisResult:
    level = f"{1 - alpha:.0%}"
    period = series.period_name
    summary = (
        f"{result.model} forecast of {series.value_column} for the next {len(dates)} {period}s "
        f"({dates[0]} to {dates[-1]}), fitted on {len(series.values)} {period}s: next {period} "
        f"{fmt_num(float(result.mean[0]))} ({level} interval {fmt_num(float(result.lower[0]))} to "
        f"{fmt_num(float(result.upper[0]))}), last {period} {fmt_num(float(result.mean[-1]))} "
        f"({fmt_num(float(result.lower[-1]))} to {fmt_num(float(result.upper[-1]))})."
    )
    history = {
        series.value_column: series.values.tolist() + [None] * len(dates),
        "forecast": [None] * (len(series.values) - 1)
        + [float(series.values[-1])]
        + result.mean.tolist(),
    }
    figure = charts.line(
        [*series.dates, *dates],
        history,
        f"{result.model} forecast of {series.value_column}",
        series.date_column,
        series.value_column,
        band=(dates, result.lower.tolist(), result.upper.tolist(), f"{level} interval"),
    )
    rows = [
        [d, m, lo, hi]
        for d, m, lo, hi in zip(dates, result.mean, result.lower, result.upper, strict=True)
    ]
    table = make_table("Forecast", [series.date_column, "forecast", "lower", "upper"], rows)
    data = {
        "method": method,
        "model": result.model,
        "freq": series.freq,
        "horizon": len(dates),
        "alpha": alpha,
        "dates": dates,
        "forecast": result.mean.tolist(),
        "lower": result.lower.tolist(),
        "upper": result.upper.tolist(),
        "history_periods": len(series.values),
        "interpolated_periods": series.filled,
        **result.details,
    }
    return AnalysisResult(
        kind="forecast", summary=summary, data=data, tables=[table], figures=[figure]
    )
