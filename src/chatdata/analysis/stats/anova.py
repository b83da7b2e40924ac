"""One-way ANOVA from per-group moments (exact on the full data, one streaming aggregate)."""

from __future__ import annotations

from scipy import stats as sps

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_p
from chatdata.analysis.frames import to_lazy
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.analysis.stats.moments import grouped_moments
from chatdata.analysis.stats.ttests import verdict
from chatdata.errors import BadRequest


def one_way_anova(
    frame: object, value: str, group: str, groups: list[str] | None = None, alpha: float = 0.05
) -> AnalysisResult:
    """Test whether the mean of `value` differs across the groups of `group`; effect size eta²."""
    lf = to_lazy(frame)
    moments = grouped_moments(lf, value, group, [str(g) for g in groups] if groups else None)
    if len(moments) < 2:
        raise BadRequest(f"ANOVA needs at least two groups; {group!r} has {len(moments)}")
    n = sum(m.n for m in moments.values())
    k = len(moments)
    if n <= k:
        raise BadRequest("ANOVA needs more values than groups")
    grand = sum(m.n * m.mean for m in moments.values()) / n
    between = sum(m.n * (m.mean - grand) ** 2 for m in moments.values())
    within = sum((m.n - 1) * m.var for m in moments.values() if m.n > 1)
    df_between, df_within = k - 1, n - k
    f = (between / df_between) / (within / df_within)
    p = float(sps.f.sf(f, df_between, df_within))
    eta_sq = between / (between + within)
    summary = (
        f"One-way ANOVA of {value} across {k} groups of {group} (n = {n}): "
        f"F({df_between}, {df_within}) = {f:.3f}, p {fmt_p(p)}, eta² = {eta_sq:.3f}; "
        f"{verdict(p, alpha)}."
    )
    rows = [[g, m.n, m.mean, m.std] for g, m in moments.items()]
    table = make_table("Groups", ["group", "n", "mean", "std"], rows)
    figure = charts.bar(
        list(moments), [m.mean for m in moments.values()], f"Mean {value} by {group}", group, value
    )
    data = {
        "groups": list(moments),
        "n": [m.n for m in moments.values()],
        "means": [m.mean for m in moments.values()],
        "f": f,
        "df_between": df_between,
        "df_within": df_within,
        "p_value": p,
        "eta_squared": eta_sq,
        "ss_between": between,
        "ss_within": within,
        "alpha": alpha,
        "significant": p < alpha,
    }
    return AnalysisResult(
        kind="anova", summary=summary, data=data, tables=[table], figures=[figure]
    )
