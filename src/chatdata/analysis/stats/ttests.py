"""t-tests: one-sample, two-sample (Welch by default) and paired, on the full data.

Each test needs only per-group moments, computed by one streaming Polars aggregate, so the
numbers are exact for any size of data. Results carry t, df, p, the mean (difference) with a
confidence interval, Cohen's d, and a verdict at `alpha`.
"""

from __future__ import annotations

import math

import polars as pl

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_num, fmt_p
from chatdata.analysis.frames import require_numeric, schema_of, to_lazy
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.analysis.stats.moments import (
    Alternative,
    Moments,
    cohens_d,
    column_moments,
    grouped_moments,
    pooled_se_df,
    t_interval,
    t_p_value,
    two_groups,
    welch_se_df,
)
from chatdata.errors import BadRequest


def verdict(p_value: float, alpha: float) -> str:
    """'significant at alpha = 0.05' or 'not significant at alpha = 0.05'."""
    significant = math.isfinite(p_value) and p_value < alpha
    return f"{'significant' if significant else 'not significant'} at alpha = {alpha:g}"


def _need(moments: Moments, label: str, minimum: int = 2) -> None:
    if moments.n < minimum:
        raise BadRequest(f"{label} needs at least {minimum} non-missing values, has {moments.n}")


def one_sample_ttest(
    frame: object,
    column: str,
    popmean: float = 0.0,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
) -> AnalysisResult:
    """Test whether the mean of `column` differs from `popmean`."""
    lf = to_lazy(frame)
    require_numeric(schema_of(lf), [column])
    m = column_moments(lf, pl.col(column))
    _need(m, column)
    se, df = m.std / math.sqrt(m.n), float(m.n - 1)
    t = (m.mean - popmean) / se
    p = t_p_value(t, df, alternative)
    low, high = t_interval(m.mean, se, df, alpha)
    d = (m.mean - popmean) / m.std
    summary = (
        f"Mean of {column} is {fmt_num(m.mean)} (n = {m.n}, {1 - alpha:.0%} CI {fmt_num(low)} to "
        f"{fmt_num(high)}) vs {fmt_num(popmean)}: t = {t:.3f}, df = {df:.0f}, p {fmt_p(p)}; "
        f"{verdict(p, alpha)}."
    )
    data = {
        "n": m.n,
        "mean": m.mean,
        "std": m.std,
        "popmean": popmean,
        "t": t,
        "df": df,
        "p_value": p,
        "ci": [low, high],
        "cohens_d": d,
        "alternative": alternative,
        "alpha": alpha,
        "significant": p < alpha,
    }
    return AnalysisResult(kind="ttest_one_sample", summary=summary, data=data)


def two_sample_ttest(
    frame: object,
    value: str,
    group: str,
    groups: list[str] | tuple[str, str] | None = None,
    equal_var: bool = False,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
) -> AnalysisResult:
    """Compare the mean of `value` between two groups of `group` (Welch unless `equal_var`).

    The difference is first group minus second (`groups` order, or sorted labels).
    """
    lf = to_lazy(frame)
    labels = two_groups(lf, group, groups)
    moments = grouped_moments(lf, value, group, labels)
    a, b = moments[labels[0]], moments[labels[1]]
    _need(a, f"group {labels[0]!r}")
    _need(b, f"group {labels[1]!r}")
    se, df = pooled_se_df(a, b) if equal_var else welch_se_df(a, b)
    diff = a.mean - b.mean
    t = diff / se
    p = t_p_value(t, df, alternative)
    low, high = t_interval(diff, se, df, alpha)
    d = cohens_d(a, b)
    name = "Student" if equal_var else "Welch"
    summary = (
        f"{name} t-test of {value}: {labels[0]} mean {fmt_num(a.mean)} (n = {a.n}) vs {labels[1]} "
        f"mean {fmt_num(b.mean)} (n = {b.n}); difference {fmt_num(diff)} ({1 - alpha:.0%} CI "
        f"{fmt_num(low)} to {fmt_num(high)}), t = {t:.3f}, df = {fmt_num(df)}, p {fmt_p(p)}, "
        f"Cohen's d = {d:.3f}; {verdict(p, alpha)}."
    )
    table = make_table(
        "Groups",
        ["group", "n", "mean", "std"],
        [[g, m.n, m.mean, m.std] for g, m in moments.items()],
    )
    figure = charts.bar(labels, [a.mean, b.mean], f"Mean {value} by {group}", group, value)
    data = {
        "groups": labels,
        "n": [a.n, b.n],
        "means": [a.mean, b.mean],
        "stds": [a.std, b.std],
        "difference": diff,
        "t": t,
        "df": df,
        "p_value": p,
        "ci": [low, high],
        "cohens_d": d,
        "equal_var": equal_var,
        "alternative": alternative,
        "alpha": alpha,
        "significant": p < alpha,
    }
    return AnalysisResult(
        kind="ttest_two_sample", summary=summary, data=data, tables=[table], figures=[figure]
    )


def paired_ttest(
    frame: object,
    before: str,
    after: str,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
) -> AnalysisResult:
    """Paired t-test of `after - before` over rows where both are present."""
    lf = to_lazy(frame)
    require_numeric(schema_of(lf), [before, after])
    paired = lf.filter(pl.col(before).is_not_null() & pl.col(after).is_not_null())
    m = column_moments(paired, pl.col(after).cast(pl.Float64) - pl.col(before).cast(pl.Float64))
    _need(m, "paired differences")
    se, df = m.std / math.sqrt(m.n), float(m.n - 1)
    t = m.mean / se
    p = t_p_value(t, df, alternative)
    low, high = t_interval(m.mean, se, df, alpha)
    summary = (
        f"Paired t-test of {after} - {before}: mean difference {fmt_num(m.mean)} over {m.n} pairs "
        f"({1 - alpha:.0%} CI {fmt_num(low)} to {fmt_num(high)}), t = {t:.3f}, df = {df:.0f}, "
        f"p {fmt_p(p)}; {verdict(p, alpha)}."
    )
    data = {
        "n": m.n,
        "mean_difference": m.mean,
        "std_difference": m.std,
        "t": t,
        "df": df,
        "p_value": p,
        "ci": [low, high],
        "cohens_d": m.mean / m.std,
        "alternative": alternative,
        "alpha": alpha,
        "significant": p < alpha,
    }
    return AnalysisResult(kind="ttest_paired", summary=summary, data=data)
