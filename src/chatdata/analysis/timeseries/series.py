"""A regular time series from a table: date parsing, frequency inference, resampling, gaps.

Resampling truncates each date to its period (D, W (Monday), M, Q, Y) and aggregates with
a streaming Polars group-by, so it works on data of any size; only the per-period series
(small) is collected. Periods with no data inside the range are filled by linear
interpolation for modelling, and the number filled is reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from chatdata.analysis.frames import require_columns, require_numeric, schema_of, to_lazy
from chatdata.errors import BadRequest

Freq = Literal["D", "W", "M", "Q", "Y"]
Aggregation = Literal["mean", "sum", "min", "max", "median", "count", "first", "last"]
EVERY: dict[str, str] = {"D": "1d", "W": "1w", "M": "1mo", "Q": "1q", "Y": "1y"}
PERIOD_NAMES: dict[str, str] = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
SEASONAL_PERIOD: dict[str, int | None] = {"D": 7, "W": 52, "M": 12, "Q": 4, "Y": None}
APPROX_DAYS: dict[str, float] = {"D": 1, "W": 7, "M": 30.44, "Q": 91.31, "Y": 365.25}


@dataclass(frozen=True)
class Series:
    """A regular series: one value per period, gaps interpolated (`filled` counts them)."""

    dates: list[dt.date]
    values: np.ndarray
    freq: str
    filled: int
    date_column: str
    value_column: str

    @property
    def period_name(self) -> str:
        """'day', 'week', 'month', 'quarter' or 'year'."""
        return PERIOD_NAMES[self.freq]


def _date_expr(schema: pl.Schema, column: str) -> pl.Expr:
    dtype = schema[column]
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        return pl.col(column)
    if dtype == pl.String:
        return pl.col(column).str.to_datetime(strict=False)
    raise BadRequest(f"column {column!r} is {dtype}, not a date; convert it first")


def _aggregate(value: str, agg: Aggregation) -> pl.Expr:
    column = pl.col(value).cast(pl.Float64)
    expressions = {
        "mean": column.mean(),
        "sum": column.sum(),
        "min": column.min(),
        "max": column.max(),
        "median": column.median(),
        "count": column.count().cast(pl.Float64),
        "first": column.first(),
        "last": column.last(),
    }
    if agg not in expressions:
        raise BadRequest(f"unknown aggregation {agg!r}; available: {', '.join(expressions)}")
    return expressions[agg].alias(value)


def infer_freq(dates: pl.Series) -> str:
    """The frequency closest to the median gap between consecutive distinct dates."""
    distinct = dates.unique().sort()
    if distinct.len() < 2:
        raise BadRequest("a time series needs at least two distinct dates")
    gaps = distinct.diff().drop_nulls().dt.total_seconds() / 86_400
    median: Any = gaps.median()
    median_gap = float(median) if median else 1.0
    return min(APPROX_DAYS, key=lambda f: abs(np.log(max(median_gap, 1e-9) / APPROX_DAYS[f])))


def resample_frame(
    frame: object,
    date_column: str,
    value_column: str,
    freq: str | None = None,
    agg: Aggregation = "mean",
) -> tuple[pl.DataFrame, str]:
    """Per-period aggregate of `value_column` (columns `date_column`, `value_column`), and freq."""
    lf = to_lazy(frame)
    schema = schema_of(lf)
    require_columns(schema, [date_column])
    require_numeric(schema, [value_column])
    dated = lf.select(
        _date_expr(schema, date_column).alias(date_column), pl.col(value_column)
    ).drop_nulls(date_column)
    if freq is None:
        freq = infer_freq(
            dated.select(pl.col(date_column).cast(pl.Date).unique())
            .collect(engine="streaming")
            .to_series()
        )
    if freq not in EVERY:
        raise BadRequest(f"unknown frequency {freq!r}; available: {', '.join(EVERY)}")
    period = pl.col(date_column).dt.truncate(EVERY[freq]).cast(pl.Date).alias(date_column)
    grouped = (
        dated.group_by(period)
        .agg(_aggregate(value_column, agg))
        .sort(date_column)
        .collect(engine="streaming")
    )
    if grouped.height == 0:
        raise BadRequest(f"no dated rows in {date_column!r}")
    return grouped, freq


def regular_series(
    frame: object,
    date_column: str,
    value_column: str,
    freq: str | None = None,
    agg: Aggregation = "mean",
) -> Series:
    """Resample to `freq` (inferred when omitted) and interpolate periods with no data."""
    grouped, chosen = resample_frame(frame, date_column, value_column, freq, agg)
    dates = grouped.get_column(date_column)
    first: dt.date = dates[0]
    last: dt.date = dates[-1]
    calendar = pl.select(pl.date_range(first, last, EVERY[chosen]).alias(date_column))
    full = calendar.join(grouped, on=date_column, how="left")
    values = full.get_column(value_column)
    filled = values.null_count()
    values = values.interpolate().fill_null(strategy="forward").fill_null(strategy="backward")
    return Series(
        full.get_column(date_column).to_list(),
        values.to_numpy().astype(float),
        chosen,
        filled,
        date_column,
        value_column,
    )


def future_dates(series: Series, horizon: int) -> list[dt.date]:
    """The `horizon` period starts after the series' last date."""
    step, unit = EVERY[series.freq][0], EVERY[series.freq][1:]
    last = pl.Series([series.dates[-1]])
    return [last.dt.offset_by(f"{int(step) * k}{unit}").item() for k in range(1, horizon + 1)]
