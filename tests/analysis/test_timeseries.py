"""Time series: resampling, trend, decomposition and forecasts on generated series."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import pytest

from chatdata.analysis import timeseries
from chatdata.errors import BadRequest


def monthly(rng: np.random.Generator, months: int = 72, amplitude: float = 10.0) -> pl.DataFrame:
    dates = pl.Series("month", [dt.date(2018 + m // 12, m % 12 + 1, 1) for m in range(months)])
    t = np.arange(months)
    values = 100 + 0.5 * t + amplitude * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.5, months)
    return pl.DataFrame({"month": dates, "sales": values})


def test_resample_daily_rows_to_months_with_sum() -> None:
    days = pl.date_range(dt.date(2021, 1, 1), dt.date(2021, 3, 31), "1d", eager=True)
    frame = pl.DataFrame({"day": days, "amount": np.ones(len(days))})
    result = timeseries.resample(frame, "day", "amount", freq="M", agg="sum")
    assert result.data["dates"] == ["2021-01-01", "2021-02-01", "2021-03-01"]
    assert result.data["values"] == [31.0, 28.0, 31.0]
    assert result.summary.startswith(
        "Sum of amount per month: 3 months from 2021-01-01 to 2021-03-01"
    )


def test_resample_weeks_start_on_monday_and_text_dates_are_parsed() -> None:
    frame = pl.DataFrame(
        {
            "when": ["2024-01-03 10:00:00", "2024-01-07 09:00:00", "2024-01-08 00:00:00"],
            "v": [1.0, 3.0, 5.0],
        }
    )
    result = timeseries.resample(frame, "when", "v", freq="W", agg="mean")
    assert result.data["dates"] == ["2024-01-01", "2024-01-08"]
    assert result.data["values"] == [2.0, 5.0]


def test_trend_slope_matches_polyfit_and_gaps_are_interpolated(rng: np.random.Generator) -> None:
    frame = monthly(rng).filter(pl.col("month") != dt.date(2019, 6, 1))
    result = timeseries.trend(frame, "month", "sales")
    series = np.asarray(result.data["values"])
    assert len(series) == 72 and result.data["interpolated_periods"] == 1
    slope, _ = np.polyfit(np.arange(72), series, 1)
    assert result.data["slope_per_period"] == pytest.approx(slope)
    assert result.data["freq"] == "M" and result.data["window"] == 12
    assert f"rises by {slope:.4g} per month" in result.summary
    assert "1 empty month(s) were interpolated" in result.summary


def test_decomposition_recovers_period_and_amplitude(rng: np.random.Generator) -> None:
    result = timeseries.decompose(monthly(rng, amplitude=10.0), "month", "sales")
    assert result.data["period"] == 12
    assert result.data["seasonal_amplitude"] == pytest.approx(10.0, rel=0.05)
    pattern = np.asarray(result.data["seasonal_pattern"])
    assert int(np.argmax(pattern)) == 3  # sin peaks a quarter of the way into the cycle
    assert result.data["seasonal_strength"] > 0.9
    assert f"seasonal amplitude {result.data['seasonal_amplitude']:.4g}" in result.summary


def test_decomposition_period_defaults_to_the_calendar_or_is_given(
    rng: np.random.Generator,
) -> None:
    days = pl.date_range(dt.date(2022, 1, 1), dt.date(2022, 4, 10), "1d", eager=True)
    t = np.arange(len(days))
    frame = pl.DataFrame(
        {"day": days, "v": 5 * np.sin(2 * np.pi * t / 5) + rng.normal(0, 0.2, len(t))}
    )
    assert timeseries.decompose(frame, "day", "v").data["period"] == 7
    explicit = timeseries.decompose(frame, "day", "v", period=5)
    assert explicit.data["seasonal_amplitude"] == pytest.approx(5.0, rel=0.1)


def test_decomposition_infers_a_period_from_autocorrelation_without_a_calendar_one(
    rng: np.random.Generator,
) -> None:
    years = pl.Series("year", [dt.date(1950 + i, 1, 1) for i in range(60)])
    t = np.arange(60)
    frame = pl.DataFrame(
        {"year": years, "v": 3 * np.cos(2 * np.pi * t / 6) + rng.normal(0, 0.1, 60)}
    )
    result = timeseries.decompose(frame, "year", "v")
    assert result.data["freq"] == "Y" and result.data["period"] == 6
    assert result.data["seasonal_amplitude"] == pytest.approx(3.0, rel=0.1)


def ar1_series(rng: np.random.Generator, n: int, phi: float = 0.7) -> np.ndarray:
    values = np.zeros(n)
    for i in range(1, n):
        values[i] = phi * values[i - 1] + rng.normal()
    return values + 50


def test_arima_forecast_length_and_intervals_contain_the_truth(rng: np.random.Generator) -> None:
    total, horizon = 230, 10
    values = ar1_series(rng, total)
    days = pl.date_range(
        dt.date(2023, 1, 1), dt.date(2023, 1, 1) + dt.timedelta(days=total - 1), "1d", eager=True
    )
    history = pl.DataFrame({"day": days[: total - horizon], "v": values[: total - horizon]})
    result = timeseries.forecast(
        history, "day", "v", horizon=horizon, method="arima", order=(1, 0, 0)
    )
    data = result.data
    assert data["horizon"] == horizon and len(data["forecast"]) == horizon == len(data["lower"])
    assert data["dates"][0] == str(days[total - horizon]) and data["dates"][-1] == str(days[-1])
    truth = values[total - horizon :]
    inside = (np.asarray(data["lower"]) <= truth) & (truth <= np.asarray(data["upper"]))
    assert inside.sum() >= 9
    widths = np.asarray(data["upper"]) - np.asarray(data["lower"])
    assert (np.diff(widths) >= -1e-9).all()
    assert result.summary.startswith("ARIMA(1, 0, 0) forecast of v for the next 10 days")
    json.dumps(result.to_dict())


@pytest.mark.parametrize("method", ["sarima", "holt_winters"])
def test_seasonal_forecasts_follow_the_cycle(rng: np.random.Generator, method: str) -> None:
    frame = monthly(rng, months=84)
    history = frame.head(72)
    result = timeseries.forecast(history, "month", "sales", horizon=12, method=method)
    truth = frame.tail(12).get_column("sales").to_numpy()
    forecast = np.asarray(result.data["forecast"])
    assert np.abs(forecast - truth).mean() < 2.0
    inside = (np.asarray(result.data["lower"]) <= truth) & (
        truth <= np.asarray(result.data["upper"])
    )
    assert inside.sum() >= 10
    assert result.data["dates"][0] == "2024-01-01"


def test_prophet_forecasts(rng: np.random.Generator) -> None:
    # prophet is a declared dependency; its wheel ships the compiled Stan model.
    frame = monthly(rng, months=48)
    result = timeseries.forecast(frame, "month", "sales", horizon=6, method="prophet")
    assert result.data["model"] == "Prophet" and len(result.data["forecast"]) == 6
    assert all(
        lo <= m <= hi
        for lo, m, hi in zip(
            result.data["lower"], result.data["forecast"], result.data["upper"], strict=True
        )
    )


def test_unknown_forecast_method_lists_available_ones(rng: np.random.Generator) -> None:
    with pytest.raises(
        BadRequest,
        match="unknown forecasting method 'lstm'; available: arima, sarima, holt_winters, prophet",
    ):
        timeseries.forecast(monthly(rng), "month", "sales", method="lstm")  # type: ignore[arg-type]
