"""Chi-square test of independence between two categorical columns (counts over the full data)."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from scipy import stats as sps

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_p
from chatdata.analysis.frames import require_columns, schema_of, to_lazy
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.analysis.stats.ttests import verdict
from chatdata.errors import BadRequest

LEVEL_LIMIT = 100


def contingency_table(
    lf: pl.LazyFrame, row: str, column: str
) -> tuple[list[str], list[str], np.ndarray]:
    """Observed counts of (row, column) label pairs; rows with either missing are left out."""
    require_columns(schema_of(lf), [row, column])
    counts = (
        lf.select(pl.col(row).cast(pl.String).alias("r"), pl.col(column).cast(pl.String).alias("c"))
        .drop_nulls()
        .group_by("r", "c")
        .len()
        .collect(engine="streaming")
    )
    row_labels = sorted(set(counts.get_column("r").to_list()))
    col_labels = sorted(set(counts.get_column("c").to_list()))
    if len(row_labels) > LEVEL_LIMIT or len(col_labels) > LEVEL_LIMIT:
        raise BadRequest(f"chi-square supports at most {LEVEL_LIMIT} categories per column")
    observed = np.zeros((len(row_labels), len(col_labels)))
    r_index = {label: i for i, label in enumerate(row_labels)}
    c_index = {label: i for i, label in enumerate(col_labels)}
    for r, c, n in counts.iter_rows():
        observed[r_index[r], c_index[c]] = n
    return row_labels, col_labels, observed


def chi_square(
    frame: object, row: str, column: str, alpha: float = 0.05, correction: bool = False
) -> AnalysisResult:
    """Test independence of two categorical columns; effect size Cramér's V.

    `correction` applies Yates' continuity correction (2x2 tables only), off by default.
    """
    row_labels, col_labels, observed = contingency_table(to_lazy(frame), row, column)
    if observed.shape[0] < 2 or observed.shape[1] < 2:
        raise BadRequest(f"chi-square needs at least two categories in both {row!r} and {column!r}")
    test = sps.chi2_contingency(observed, correction=correction)
    chi2, p, dof = float(test.statistic), float(test.pvalue), int(test.dof)
    expected = np.asarray(test.expected_freq)
    n = float(observed.sum())
    cramers_v = math.sqrt(chi2 / (n * (min(observed.shape) - 1)))
    low_expected = int((expected < 5).sum())
    summary = (
        f"Chi-square test of independence between {row} and {column} (n = {int(n)}): "
        f"chi² = {chi2:.3f}, df = {dof}, p {fmt_p(p)}, Cramér's V = {cramers_v:.3f}; "
        f"{verdict(p, alpha)}."
        + (f" {low_expected} cell(s) have an expected count below 5." if low_expected else "")
    )
    tables = [
        make_table(
            "Observed counts",
            [row, *col_labels],
            [[r, *observed[i].tolist()] for i, r in enumerate(row_labels)],
        ),
        make_table(
            "Expected counts",
            [row, *col_labels],
            [[r, *expected[i].tolist()] for i, r in enumerate(row_labels)],
        ),
    ]
    figure = charts.heatmap(
        observed.tolist(), col_labels, row_labels, f"{row} x {column} counts", colorscale="Blues"
    )
    data = {
        "chi2": chi2,
        "dof": dof,
        "p_value": p,
        "n": int(n),
        "cramers_v": cramers_v,
        "rows": row_labels,
        "columns": col_labels,
        "observed": observed.tolist(),
        "expected": expected.tolist(),
        "low_expected_cells": low_expected,
        "correction": correction,
        "alpha": alpha,
        "significant": p < alpha,
    }
    return AnalysisResult(
        kind="chi_square", summary=summary, data=data, tables=tables, figures=[figure]
    )
