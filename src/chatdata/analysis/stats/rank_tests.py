"""Rank-based tests: Mann-Whitney U (two groups) and Kruskal-Wallis (two or more groups).

They need the raw values, so above `max_rows` rows they run on a seeded sample (noted).
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_num, fmt_p
from chatdata.analysis.frames import to_lazy
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.analysis.stats.moments import Alternative, group_labels, two_groups
from chatdata.analysis.stats.samples import values_by_group
from chatdata.analysis.stats.ttests import verdict
from chatdata.errors import BadRequest


def mann_whitney(
    frame: object,
    value: str,
    group: str,
    groups: list[str] | tuple[str, str] | None = None,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
    max_rows: int = 500_000,
    seed: int = 0,
) -> AnalysisResult:
    """Mann-Whitney U test of `value` between two groups; effect size is rank-biserial r."""
    lf = to_lazy(frame)
    labels = two_groups(lf, group, groups)
    sampled = values_by_group(lf, value, group, labels, max_rows, seed)
    a, b = sampled.values[labels[0]], sampled.values[labels[1]]
    test = sps.mannwhitneyu(a, b, alternative=alternative)
    u, p = float(test.statistic), float(test.pvalue)
    r = 2 * u / (a.size * b.size) - 1
    median_a, median_b = float(np.median(a)), float(np.median(b))
    summary = (
        f"Mann-Whitney U test of {value}: {labels[0]} median {fmt_num(median_a)} "
        f"(n = {a.size}) vs {labels[1]} median {fmt_num(median_b)} (n = {b.size}); "
        f"U = {fmt_num(u, 6)}, p {fmt_p(p)}, rank-biserial r = {r:.3f}; {verdict(p, alpha)}."
    )
    figure = charts.box(
        {lbl: sampled.values[lbl][:5000].tolist() for lbl in labels}, f"{value} by {group}", value
    )
    data = {
        "groups": labels,
        "n": [a.size, b.size],
        "u": u,
        "p_value": p,
        "medians": [median_a, median_b],
        "rank_biserial": r,
        "alternative": alternative,
        "alpha": alpha,
        "significant": p < alpha,
    }
    return AnalysisResult(
        kind="mann_whitney", summary=summary, data=data, figures=[figure], sample_note=sampled.note
    )


def kruskal_wallis(
    frame: object,
    value: str,
    group: str,
    groups: list[str] | None = None,
    alpha: float = 0.05,
    max_rows: int = 500_000,
    seed: int = 0,
) -> AnalysisResult:
    """Kruskal-Wallis H test of `value` across the groups of `group`; effect size epsilon²."""
    lf = to_lazy(frame)
    labels = [str(g) for g in groups] if groups is not None else group_labels(lf, group)
    if len(labels) < 2:
        raise BadRequest(f"Kruskal-Wallis needs at least two groups; {group!r} has {len(labels)}")
    sampled = values_by_group(lf, value, group, labels, max_rows, seed)
    arrays = [sampled.values[label] for label in labels]
    test = sps.kruskal(*arrays)
    h, p = float(test.statistic), float(test.pvalue)
    n = sum(x.size for x in arrays)
    epsilon_sq = h / (n - 1) if n > 1 else float("nan")
    summary = (
        f"Kruskal-Wallis test of {value} across {len(labels)} groups of {group} (n = {n}): "
        f"H = {h:.3f}, p {fmt_p(p)}, epsilon² = {epsilon_sq:.3f}; {verdict(p, alpha)}."
    )
    rows = [[lbl, x.size, float(np.median(x))] for lbl, x in zip(labels, arrays, strict=True)]
    table = make_table("Groups", ["group", "n", "median"], rows)
    figure = charts.box(
        {lbl: sampled.values[lbl][:5000].tolist() for lbl in labels}, f"{value} by {group}", value
    )
    data = {
        "groups": labels,
        "n": [x.size for x in arrays],
        "h": h,
        "p_value": p,
        "epsilon_squared": epsilon_sq,
        "alpha": alpha,
        "significant": p < alpha,
    }
    return AnalysisResult(
        kind="kruskal_wallis",
        summary=summary,
        data=data,
        tables=[table],
        figures=[figure],
        sample_note=sampled.note,
    )
