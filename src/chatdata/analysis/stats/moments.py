"""Per-group counts, means and variances computed by Polars over the full data, and t math.

Moment-based tests (t-tests, ANOVA, the A/B test on means) need only n, mean and variance
per group, so they run as one streaming aggregate on any size of data and match scipy's
results on the raw values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import polars as pl
from scipy import stats as sps

from chatdata.analysis.frames import require_columns, require_numeric, schema_of
from chatdata.errors import BadRequest

Alternative = Literal["two-sided", "less", "greater"]
GROUP_LIMIT = 1000


@dataclass(frozen=True)
class Moments:
    """Count, mean and sample variance (ddof=1) of one group's non-missing values."""

    n: int
    mean: float
    var: float

    @property
    def std(self) -> float:
        """Sample standard deviation."""
        return math.sqrt(self.var) if math.isfinite(self.var) else math.nan


def column_moments(lf: pl.LazyFrame, expr: pl.Expr) -> Moments:
    """Moments of a numeric expression over all rows where it is not missing."""
    values = expr.cast(pl.Float64).drop_nulls().drop_nans()
    row = (
        lf.select(values.len().alias("n"), values.mean().alias("mean"), values.var().alias("var"))
        .collect(engine="streaming")
        .row(0)
    )
    return Moments(int(row[0]), _float(row[1]), _float(row[2]))


def _float(value: float | None) -> float:
    return math.nan if value is None else float(value)


def group_labels(lf: pl.LazyFrame, group: str) -> list[str]:
    """Distinct non-missing labels of a group column, as text, sorted."""
    labels = (
        lf.select(pl.col(group).cast(pl.String).drop_nulls().unique().sort())
        .head(GROUP_LIMIT + 1)
        .collect(engine="streaming")
        .to_series()
        .to_list()
    )
    if len(labels) > GROUP_LIMIT:
        raise BadRequest(f"column {group!r} has more than {GROUP_LIMIT} groups")
    return [str(label) for label in labels]


def grouped_moments(
    lf: pl.LazyFrame, value: str, group: str, groups: list[str] | None = None
) -> dict[str, Moments]:
    """Moments of `value` per label of `group` (labels as text), for `groups` or all labels."""
    schema = schema_of(lf)
    require_numeric(schema, [value])
    require_columns(schema, [group])
    wanted = groups if groups is not None else group_labels(lf, group)
    label = pl.col(group).cast(pl.String).alias("__group")
    values = pl.col(value).cast(pl.Float64)
    frame = (
        lf.select(label, values.alias("__value"))
        .filter(pl.col("__group").is_in(wanted) & pl.col("__value").is_not_null())
        .filter(pl.col("__value").is_not_nan())
        .group_by("__group")
        .agg(
            pl.len().alias("n"),
            pl.col("__value").mean().alias("mean"),
            pl.col("__value").var().alias("var"),
        )
        .collect(engine="streaming")
    )
    found = {
        row[0]: Moments(int(row[1]), _float(row[2]), _float(row[3])) for row in frame.iter_rows()
    }
    absent = [g for g in wanted if g not in found]
    if absent:
        raise BadRequest(
            f"no values of {value!r} for group(s) {', '.join(map(repr, absent))} of {group!r}"
        )
    return {g: found[g] for g in wanted}


def two_groups(
    lf: pl.LazyFrame, group: str, groups: list[str] | tuple[str, str] | None
) -> list[str]:
    """The two group labels to compare: the given pair, or the column's only two labels."""
    if groups is not None:
        if len(groups) != 2:
            raise BadRequest("groups must name exactly two groups")
        return [str(g) for g in groups]
    labels = group_labels(lf, group)
    if len(labels) != 2:
        raise BadRequest(
            f"column {group!r} has {len(labels)} groups; name the two to compare with 'groups'",
            details={"groups": labels[:20]},
        )
    return labels


def t_p_value(t: float, df: float, alternative: Alternative) -> float:
    """p-value of a t statistic for the given alternative (scipy's conventions)."""
    if alternative == "two-sided":
        return float(2 * sps.t.sf(abs(t), df))
    if alternative == "greater":
        return float(sps.t.sf(t, df))
    return float(sps.t.cdf(t, df))


def t_interval(estimate: float, se: float, df: float, alpha: float) -> tuple[float, float]:
    """Two-sided (1 - alpha) confidence interval `estimate ± t* se`."""
    half = float(sps.t.ppf(1 - alpha / 2, df)) * se
    return estimate - half, estimate + half


def welch_se_df(a: Moments, b: Moments) -> tuple[float, float]:
    """Standard error of mean(a) - mean(b) and the Welch-Satterthwaite degrees of freedom."""
    va, vb = a.var / a.n, b.var / b.n
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))
    return se, df


def pooled_se_df(a: Moments, b: Moments) -> tuple[float, float]:
    """Standard error of mean(a) - mean(b) under equal variances, and n_a + n_b - 2."""
    df = a.n + b.n - 2
    pooled = ((a.n - 1) * a.var + (b.n - 1) * b.var) / df
    return math.sqrt(pooled * (1 / a.n + 1 / b.n)), float(df)


def cohens_d(a: Moments, b: Moments) -> float:
    """Cohen's d: (mean_a - mean_b) / pooled standard deviation."""
    pooled = ((a.n - 1) * a.var + (b.n - 1) * b.var) / (a.n + b.n - 2)
    return (a.mean - b.mean) / math.sqrt(pooled) if pooled > 0 else math.nan
