"""Code for time series: resampling, trend, seasonal decomposition, forecasting."""

from __future__ import annotations

from chatdata.chat.llm.builtin.codegen.common import cell, load_frame, py
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema

PANDAS_FREQUENCY = {"day": "D", "week": "W", "month": "MS", "quarter": "QS", "year": "YS"}
PERIOD_WORD = {
    "day": "daily",
    "week": "weekly",
    "month": "monthly",
    "quarter": "quarterly",
    "year": "yearly",
}


def _series_block(plan: Plan, schema: Schema, value: str) -> list[str]:
    """Lines that build `series`: `value` aggregated per period over the date column."""
    date = str(plan.options.get("date"))
    frequency = str(plan.options.get("freq") or "month")
    agg = str(plan.options.get("agg") or "mean")
    parse = (
        f'pd.to_datetime(frame[{py(date)}], format="mixed")'
        if schema.by_name[date].date_text
        else f"pd.to_datetime(frame[{py(date)}])"
    )
    return [
        *load_frame(schema, [date, value], plan.filters),
        "",
        f"# {PERIOD_WORD[frequency].title()} {agg} of {value} (ALL rows)",
        f"frame = data[[{py(date)}, {py(value)}]].copy()",
        f"frame[{py(date)}] = {parse}",
        f"series = frame.set_index({py(date)})[{py(value)}]"
        f'.resample("{PANDAS_FREQUENCY[frequency]}").{agg}()',
    ]


def resample_code(plan: Plan, schema: Schema) -> str:
    """A value aggregated per period, with its highest and lowest periods."""
    value = plan.columns[0]
    frequency = str(plan.options.get("freq") or "month")
    return cell(
        _series_block(plan, schema, value),
        f"""
display(series.to_frame())
px.line(series.reset_index(), x=series.index.name, y={py(value)},
        title="{PERIOD_WORD[frequency].title()} {plan.options.get("agg")} of {value}").show()
""",
        f"""
clean = series.dropna()
result = {{
    "intent": "resample",
    "value": {py(value)},
    "freq": "{frequency}",
    "agg": "{plan.options.get("agg")}",
    "periods": int(len(series)),
    "table": {{str(k.date()): float(v) for k, v in clean.tail(24).items()}},
    "values": {{"periods": int(len(series)), "max": float(clean.max()), "min": float(clean.min()),
               "max_period": str(clean.idxmax().date()), "min_period": str(clean.idxmin().date()),
               "first": float(clean.iloc[0]), "last": float(clean.iloc[-1])}},
}}
""",
    )


def trend_code(plan: Plan, schema: Schema) -> str:
    """Direction and size of the change over time, with a fitted linear slope."""
    value = plan.columns[0]
    frequency = str(plan.options.get("freq") or "month")
    return cell(
        _series_block(plan, schema, value),
        f"""
clean = series.dropna()
# Linear trend: slope per {frequency} from a least-squares line through the periods
slope, intercept = np.polyfit(np.arange(len(clean)), clean.to_numpy(), 1)
figure = px.line(clean.reset_index(), x=clean.index.name, y={py(value)},
                 title="{value} over time ({PERIOD_WORD[frequency]})")
figure.add_scatter(x=clean.index, y=intercept + slope * np.arange(len(clean)), name="linear trend")
figure.show()
first, last = float(clean.iloc[0]), float(clean.iloc[-1])
print(f"{{clean.index[0].date()}}: {{first:.4g}} -> {{clean.index[-1].date()}}: {{last:.4g}}; "
      f"slope {{slope:.4g}} per {frequency}")
""",
        f"""
result = {{
    "intent": "trend",
    "value": {py(value)},
    "freq": "{frequency}",
    "start": str(clean.index[0].date()),
    "end": str(clean.index[-1].date()),
    "values": {{"slope": float(slope), "first": first, "last": last, "change": last - first,
               "percent_change": (last - first) / abs(first) * 100 if first else None,
               "max_period": str(clean.idxmax().date()), "max": float(clean.max())}},
}}
""",
    )


def decompose_code(plan: Plan, schema: Schema) -> str:
    """Additive seasonal decomposition (statsmodels)."""
    value = plan.columns[0]
    period = int(plan.options.get("period") or 12)
    return cell(
        _series_block(plan, schema, value),
        f"""
from statsmodels.tsa.seasonal import seasonal_decompose

history = series.interpolate().dropna()  # fill empty periods between observations
parts = seasonal_decompose(history, model="additive", period={period})
components = pd.DataFrame({{"observed": parts.observed, "trend": parts.trend,
                           "seasonal": parts.seasonal, "residual": parts.resid}})
px.line(components, facet_row="variable", height=700,
        title="Seasonal decomposition of {value}").update_yaxes(matches=None).show()
season = parts.seasonal.iloc[:{period}]
display(season.rename("seasonal effect").to_frame())
""",
        f"""
trend = parts.trend.dropna()
result = {{
    "intent": "decompose",
    "value": {py(value)},
    "period": {period},
    "freq": "{plan.options.get("freq")}",
    "values": {{"seasonal_amplitude": float(parts.seasonal.max() - parts.seasonal.min()),
               "peak": str(parts.seasonal.idxmax().date()),
               "trough": str(parts.seasonal.idxmin().date()),
               "peak_month": int(parts.seasonal.idxmax().month),
               "trough_month": int(parts.seasonal.idxmin().month),
               "trend_change": float(trend.iloc[-1] - trend.iloc[0])}},
}}
""",
    )


def forecast_code(plan: Plan, schema: Schema) -> str:
    """Holt-Winters exponential smoothing (additive trend, seasonal when there is enough data)."""
    value = plan.columns[0]
    period = int(plan.options.get("period") or 12)
    horizon = int(plan.options.get("horizon") or 12)
    return cell(
        _series_block(plan, schema, value),
        f"""
from statsmodels.tsa.holtwinters import ExponentialSmoothing

history = series.interpolate().dropna()
seasonal = "add" if len(history) >= 2 * {period} and {period} > 1 else None
model = ExponentialSmoothing(history, trend="add", seasonal=seasonal,
                             seasonal_periods={period} if seasonal else None).fit()
forecast = model.forecast({horizon})
display(forecast.rename("forecast").to_frame())
figure = px.line(history.reset_index(), x=history.index.name, y={py(value)},
                 title="{value}: history and {horizon}-period forecast")
figure.add_scatter(x=forecast.index, y=forecast.to_numpy(), name="forecast")
figure.show()
""",
        f"""
result = {{
    "intent": "forecast",
    "value": {py(value)},
    "freq": "{plan.options.get("freq")}",
    "horizon": {horizon},
    "seasonal": seasonal is not None,
    "forecast": {{str(k.date()): float(v) for k, v in forecast.items()}},
    "values": {{"next": float(forecast.iloc[0]), "last": float(forecast.iloc[-1]),
               "mean": float(forecast.mean()),
               **{{f"forecast_{{i}}": float(v) for i, v in enumerate(forecast, start=1)}}}},
}}
""",
    )
