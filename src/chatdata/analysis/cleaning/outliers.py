"""Outlier step: bounds by IQR, z-score or Isolation Forest, then cap (winsorise) or remove rows.

IQR and z-score bounds come from one streaming aggregate over the full column. Isolation
Forest is fitted on a seeded sample of complete rows (the step's `sample_note` says how many);
removal scores every row lazily in batches, capping clips each column to the range of the
sample's inliers.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import polars as pl
from sklearn.ensemble import IsolationForest

from chatdata.analysis.cleaning.plan import (
    PlanContext,
    StepOutcome,
    check_columns,
    collect_streaming,
    step_error,
)
from chatdata.analysis.cleaning.specs import Outliers
from chatdata.analysis.frames import collect_sample

Bounds = dict[str, tuple[float, float]]


def statistical_bounds(lf: pl.LazyFrame, step: Outliers) -> Bounds:
    """Per-column (low, high) bounds by IQR or z-score from one streaming aggregate."""
    aggregates: list[pl.Expr] = []
    for name in step.columns:
        column = pl.col(name).cast(pl.Float64)
        if step.method == "iqr":
            aggregates += [
                column.quantile(0.25, "linear").alias(f"{name}\0a"),
                column.quantile(0.75, "linear").alias(f"{name}\0b"),
            ]
        else:
            aggregates += [column.mean().alias(f"{name}\0a"), column.std().alias(f"{name}\0b")]
    row = collect_streaming(lf.select(aggregates)).row(0, named=True)
    bounds: Bounds = {}
    for name in step.columns:
        first, second = row[f"{name}\0a"], row[f"{name}\0b"]
        if first is None or second is None:
            bounds[name] = (-math.inf, math.inf)
        elif step.method == "iqr":
            spread = (step.threshold or 1.5) * (second - first)
            bounds[name] = (first - spread, second + spread)
        else:
            limit = (step.threshold or 3.0) * second
            bounds[name] = (first - limit, first + limit)
    return bounds


def _fit_forest(
    lf: pl.LazyFrame, index: int, step: Outliers, ctx: PlanContext
) -> tuple[IsolationForest, np.ndarray, np.ndarray, str | None]:
    sample = collect_sample(
        lf.select(step.columns).drop_nulls().drop_nans(),
        ctx.sample_rows,
        ctx.seed,
        verb="Isolation Forest fitted",
    )
    values = sample.frame.cast(pl.Float64).to_numpy()
    if len(values) < 2:
        raise step_error(index, step, "needs at least 2 rows without missing values to fit")
    forest = IsolationForest(contamination=step.contamination, random_state=ctx.seed)
    inlier = forest.fit_predict(values) == 1
    return forest, values, inlier, sample.note


def _inlier_scorer(forest: IsolationForest, columns: list[str]) -> Callable[[pl.Series], pl.Series]:
    def score(batch: pl.Series) -> pl.Series:
        values = batch.struct.unnest().select(columns).cast(pl.Float64).to_numpy()
        complete = ~np.isnan(values).any(axis=1)
        keep = np.ones(len(values), dtype=bool)
        if complete.any():
            keep[complete] = forest.predict(values[complete]) == 1
        return pl.Series(keep)

    return score


def _clip(name: str, dtype: pl.DataType, low: float, high: float) -> pl.Expr:
    """Clip a column to bounds; integer columns clip to the integers inside the bounds."""
    if dtype.is_integer():
        low = math.ceil(low) if math.isfinite(low) else low
        high = math.floor(high) if math.isfinite(high) else high
    lower = None if math.isinf(low) else low
    upper = None if math.isinf(high) else high
    return pl.col(name).clip(lower, upper).cast(dtype)


def _outside(name: str, low: float, high: float) -> pl.Expr:
    column = pl.col(name)
    return (column < low) | (column > high)


def _plan_with_bounds(lf: pl.LazyFrame, step: Outliers, bounds: Bounds) -> StepOutcome:
    schema = lf.collect_schema()
    counts = lf.select(
        [_outside(n, lo, hi).sum().alias(f"outliers:{n}") for n, (lo, hi) in bounds.items()]
    )
    if step.action == "cap":
        after = lf.with_columns([_clip(n, schema[n], lo, hi) for n, (lo, hi) in bounds.items()])
        verb = "cap"
    else:
        keep = [_outside(n, lo, hi).not_().fill_null(True) for n, (lo, hi) in bounds.items()]
        after = lf.filter(pl.all_horizontal(keep))
        verb = "remove rows with"
    details = {"method": step.method, "bounds": {n: list(b) for n, b in bounds.items()}}
    description = f"{verb} {step.method} outliers in {', '.join(step.columns)}"
    return StepOutcome(after, description, count_query=counts, details=details)


def plan_outliers(lf: pl.LazyFrame, index: int, step: Outliers, ctx: PlanContext) -> StepOutcome:
    """Plan an outlier step: compute bounds (or fit the forest) and cap or remove."""
    check_columns(lf.collect_schema(), step.columns, index, step, numeric=True)
    if step.method != "isolation_forest":
        return _plan_with_bounds(lf, step, statistical_bounds(lf, step))
    forest, values, inlier, note = _fit_forest(lf, index, step, ctx)
    inliers = values[inlier]
    if step.action == "cap":
        bounds = {
            name: (float(inliers[:, i].min()), float(inliers[:, i].max()))
            for i, name in enumerate(step.columns)
        }
        outcome = _plan_with_bounds(lf, step, bounds)
    else:
        keep = pl.struct(step.columns).map_batches(
            _inlier_scorer(forest, step.columns), return_dtype=pl.Boolean, is_elementwise=True
        )
        description = f"remove rows flagged by isolation_forest on {', '.join(step.columns)}"
        outcome = StepOutcome(lf.filter(keep), description, details={"method": step.method})
    outcome.sample_note = note
    outcome.details["fit_rows"] = len(values)
    outcome.details["sample_outliers"] = int((~inlier).sum())
    return outcome
