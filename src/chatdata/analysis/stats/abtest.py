"""A/B test of a control and a treatment group: conversion rates or means, on the full data.

Conversion (a 0/1 or boolean metric): two-proportion z-test (pooled), Wald interval for the
difference, relative lift and Cohen's h. Means: Welch t-test, Welch interval for the
difference, relative lift and Cohen's d. The verdict is a plain sentence at `alpha`.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import polars as pl
from scipy import stats as sps

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_num, fmt_p, fmt_pct
from chatdata.analysis.frames import require_columns, require_numeric, schema_of, to_lazy
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.analysis.stats.moments import (
    cohens_d,
    grouped_moments,
    t_interval,
    t_p_value,
    welch_se_df,
)
from chatdata.errors import BadRequest

Kind = Literal["auto", "conversion", "mean"]


def _is_binary(lf: pl.LazyFrame, metric: str) -> bool:
    if schema_of(lf)[metric] == pl.Boolean:
        return True
    v = pl.col(metric).cast(pl.Float64).drop_nulls()
    other = lf.select(((v != 0) & (v != 1)).sum()).collect(engine="streaming").item()
    return int(other or 0) == 0


def _conversion_counts(
    lf: pl.LazyFrame, group: str, metric: str, labels: list[str]
) -> dict[str, tuple[int, int]]:
    frame = (
        lf.select(
            pl.col(group).cast(pl.String).alias("g"), pl.col(metric).cast(pl.Float64).alias("v")
        )
        .filter(pl.col("g").is_in(labels) & pl.col("v").is_not_null())
        .group_by("g")
        .agg(pl.len().alias("n"), pl.col("v").sum().alias("x"))
        .collect(engine="streaming")
    )
    counts = {g: (int(n), int(x)) for g, n, x in frame.iter_rows()}
    missing = [label for label in labels if label not in counts]
    if missing:
        raise BadRequest(f"no rows for group(s) {', '.join(map(repr, missing))} in {group!r}")
    return counts


def _wilson(x: int, n: int, z: float) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _verdict(significant: bool, higher: bool, alpha: float) -> str:
    if not significant:
        return f"no significant difference at alpha = {alpha:g}"
    return f"treatment is significantly {'higher' if higher else 'lower'} at alpha = {alpha:g}"


def _conversion_test(
    lf: pl.LazyFrame, group: str, metric: str, control: str, treatment: str, alpha: float
) -> AnalysisResult:
    counts = _conversion_counts(lf, group, metric, [control, treatment])
    (n_c, x_c), (n_t, x_t) = counts[control], counts[treatment]
    p_c, p_t = x_c / n_c, x_t / n_t
    pooled = (x_c + x_t) / (n_c + n_t)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n_c + 1 / n_t))
    diff = p_t - p_c
    z = diff / se_pooled if se_pooled > 0 else math.nan
    p_value = float(2 * sps.norm.sf(abs(z))) if math.isfinite(z) else math.nan
    z_crit = float(sps.norm.ppf(1 - alpha / 2))
    se = math.sqrt(p_c * (1 - p_c) / n_c + p_t * (1 - p_t) / n_t)
    ci = (diff - z_crit * se, diff + z_crit * se)
    lift = diff / p_c if p_c > 0 else math.nan
    cohens_h = 2 * math.asin(math.sqrt(p_t)) - 2 * math.asin(math.sqrt(p_c))
    significant = math.isfinite(p_value) and p_value < alpha
    summary = (
        f"A/B test of {metric} conversion: treatment {treatment} {fmt_pct(p_t)} ({x_t}/{n_t}) vs "
        f"control {control} {fmt_pct(p_c)} ({x_c}/{n_c}); difference {diff * 100:+.2f} pp "
        f"({1 - alpha:.0%} CI {ci[0] * 100:+.2f} to {ci[1] * 100:+.2f} pp), relative lift "
        f"{fmt_pct(lift)}, z = {z:.3f}, p {fmt_p(p_value)}, Cohen's h = {cohens_h:.3f}: "
        f"{_verdict(significant, diff > 0, alpha)}."
    )
    rows = [
        [label, n, x, x / n, *_wilson(x, n, z_crit)]
        for label, (n, x) in ((control, counts[control]), (treatment, counts[treatment]))
    ]
    table = make_table("Groups", ["group", "n", "conversions", "rate", "ci_low", "ci_high"], rows)
    figure = charts.bar(
        [control, treatment], [p_c, p_t], f"{metric} conversion rate", group, "rate"
    )
    data: dict[str, Any] = {
        "kind": "conversion",
        "control": control,
        "treatment": treatment,
        "n": [n_c, n_t],
        "conversions": [x_c, x_t],
        "rates": [p_c, p_t],
        "difference": diff,
        "ci": list(ci),
        "relative_lift": lift,
        "z": z,
        "p_value": p_value,
        "cohens_h": cohens_h,
        "alpha": alpha,
        "significant": significant,
    }
    return AnalysisResult(
        kind="ab_test", summary=summary, data=data, tables=[table], figures=[figure]
    )


def _mean_test(
    lf: pl.LazyFrame, group: str, metric: str, control: str, treatment: str, alpha: float
) -> AnalysisResult:
    moments = grouped_moments(lf, metric, group, [control, treatment])
    c, t = moments[control], moments[treatment]
    if c.n < 2 or t.n < 2:
        raise BadRequest("each group needs at least 2 values for a test of means")
    se, df = welch_se_df(t, c)
    diff = t.mean - c.mean
    t_stat = diff / se
    p_value = t_p_value(t_stat, df, "two-sided")
    ci = t_interval(diff, se, df, alpha)
    lift = diff / c.mean if c.mean != 0 else math.nan
    d = cohens_d(t, c)
    significant = p_value < alpha
    summary = (
        f"A/B test of mean {metric}: treatment {treatment} {fmt_num(t.mean)} (n = {t.n}) "
        f"vs control {control} {fmt_num(c.mean)} (n = {c.n}); "
        f"difference {fmt_num(diff)} ({1 - alpha:.0%} CI "
        f"{fmt_num(ci[0])} to {fmt_num(ci[1])}), relative lift {fmt_pct(lift)}, t = {t_stat:.3f}, "
        f"p {fmt_p(p_value)}, Cohen's d = {d:.3f}: {_verdict(significant, diff > 0, alpha)}."
    )
    table = make_table(
        "Groups",
        ["group", "n", "mean", "std"],
        [[g, m.n, m.mean, m.std] for g, m in moments.items()],
    )
    figure = charts.bar([control, treatment], [c.mean, t.mean], f"Mean {metric}", group, metric)
    data: dict[str, Any] = {
        "kind": "mean",
        "control": control,
        "treatment": treatment,
        "n": [c.n, t.n],
        "means": [c.mean, t.mean],
        "difference": diff,
        "ci": list(ci),
        "relative_lift": lift,
        "t": t_stat,
        "df": df,
        "p_value": p_value,
        "cohens_d": d,
        "alpha": alpha,
        "significant": significant,
    }
    return AnalysisResult(
        kind="ab_test", summary=summary, data=data, tables=[table], figures=[figure]
    )


def ab_test(
    frame: object,
    group: str,
    metric: str,
    control: str,
    treatment: str,
    kind: Kind = "auto",
    alpha: float = 0.05,
) -> AnalysisResult:
    """Compare `metric` between the `control` and `treatment` labels of `group`.

    `kind="auto"` treats a boolean or 0/1 metric as a conversion and anything else as a mean.
    """
    lf = to_lazy(frame)
    schema = schema_of(lf)
    require_columns(schema, [group])
    if schema.get(metric) != pl.Boolean:
        require_numeric(schema, [metric])
    chosen = kind if kind != "auto" else ("conversion" if _is_binary(lf, metric) else "mean")
    if chosen == "conversion" and not _is_binary(lf, metric):
        raise BadRequest(
            f"a conversion test needs a 0/1 or boolean metric; {metric!r} has other values"
        )
    test = _conversion_test if chosen == "conversion" else _mean_test
    return test(lf, group, metric, str(control), str(treatment), alpha)
