"""Time-series task types: `decompose` (seasonal decomposition) and `forecast`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chatdata.analysis import timeseries
from chatdata.tasks.context import TaskContext
from chatdata.tasks.families.common import ColumnName, run_analysis
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register

Aggregation = Literal["mean", "sum", "min", "max", "median", "count", "first", "last"]


class _SeriesParams(TaskParams):
    date_column: ColumnName
    value_column: ColumnName
    freq: str | None = Field(
        default=None, max_length=10, description="Resampling frequency (D, W, M, ...)."
    )
    agg: Aggregation = "mean"
    period: int | None = Field(default=None, ge=2, le=1000, description="Season length.")

    def referenced_columns(self) -> list[str]:
        """The date and value columns."""
        return [self.date_column, self.value_column]


class DecomposeParams(_SeriesParams):
    """Trend, seasonal and residual components."""

    model: Literal["additive", "multiplicative"] = "additive"


class ForecastParams(_SeriesParams):
    """A forecast `horizon` periods ahead with prediction intervals."""

    method: Literal["arima", "sarima", "holt_winters", "prophet"] = "arima"
    horizon: int = Field(default=12, ge=1, le=1000)
    order: tuple[int, int, int] = (1, 1, 1)
    seasonal_order: tuple[int, int, int, int] | None = None
    damped: bool = False
    alpha: float = Field(default=0.05, gt=0, lt=0.5, description="1 - interval coverage.")


def run_decompose(ctx: TaskContext, params: DecomposeParams) -> TaskResult:
    """Seasonal decomposition of the resampled series."""
    return run_analysis(
        ctx,
        "the decomposition",
        lambda lf: timeseries.decompose(
            lf,
            params.date_column,
            params.value_column,
            freq=params.freq,
            period=params.period,
            model=params.model,
            agg=params.agg,
        ),
    )


def run_forecast(ctx: TaskContext, params: ForecastParams) -> TaskResult:
    """Forecast with ARIMA, SARIMA, Holt-Winters or Prophet."""
    return run_analysis(
        ctx,
        f"a {params.method} forecast",
        lambda lf: timeseries.forecast(
            lf,
            params.date_column,
            params.value_column,
            params.horizon,
            params.method,
            freq=params.freq,
            agg=params.agg,
            order=params.order,
            seasonal_order=params.seasonal_order,
            period=params.period,
            damped=params.damped,
            alpha=params.alpha,
        ),
    )


register(
    TaskType(
        name="decompose",
        description="Seasonal decomposition (trend, seasonal, residual) of a value over a "
        "date column, resampled to a regular frequency.",
        params=DecomposeParams,
        run=run_decompose,
    )
)
register(
    TaskType(
        name="forecast",
        description="Forecast a value over a date column with ARIMA, SARIMA, Holt-Winters "
        "(exponential smoothing) or Prophet, with prediction intervals.",
        params=ForecastParams,
        run=run_forecast,
    )
)
