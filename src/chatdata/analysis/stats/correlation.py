"""Correlation matrices (Pearson, Spearman, Kendall) with a heatmap and the strongest pairs.

Rows with a missing value in any chosen column are left out (listwise). Above `max_rows`
rows the matrix is computed on a seeded sample (default 1,000,000 rows; 20,000 for
Kendall, whose cost grows faster).
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, Literal

import numpy as np
import polars as pl
from scipy import stats as sps

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_p
from chatdata.analysis.frames import collect_sample, require_numeric, schema_of, to_lazy
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.errors import BadRequest

Method = Literal["pearson", "spearman", "kendall"]
DEFAULT_MAX_ROWS = {"pearson": 1_000_000, "spearman": 1_000_000, "kendall": 20_000}


def _pair_test(x: np.ndarray, y: np.ndarray, method: Method) -> tuple[float, float]:
    if method == "pearson":
        result: Any = sps.pearsonr(x, y)
    elif method == "spearman":
        result = sps.spearmanr(x, y)
    else:
        result = sps.kendalltau(x, y)
    return float(result.statistic), float(result.pvalue)


def _matrix(values: np.ndarray, method: Method) -> np.ndarray:
    if method == "pearson":
        return np.atleast_2d(np.corrcoef(values, rowvar=False))
    if method == "spearman":
        ranks = np.apply_along_axis(sps.rankdata, 0, values)
        return np.atleast_2d(np.corrcoef(ranks, rowvar=False))
    k = values.shape[1]
    matrix = np.eye(k)
    for i, j in combinations(range(k), 2):
        matrix[i, j] = matrix[j, i] = _pair_test(values[:, i], values[:, j], method)[0]
    return matrix


def correlation(
    frame: object,
    columns: list[str] | None = None,
    method: Method = "pearson",
    max_rows: int | None = None,
    seed: int = 0,
    top: int = 5,
) -> AnalysisResult:
    """Correlation matrix of numeric `columns` (all numeric columns when omitted)."""
    lf = to_lazy(frame)
    schema = schema_of(lf)
    names = columns or [n for n in schema.names() if schema[n].is_numeric()]
    require_numeric(schema, names)
    if len(names) < 2:
        raise BadRequest("correlation needs at least two numeric columns")
    complete = lf.select(pl.col(names).cast(pl.Float64)).drop_nulls().drop_nans()
    sample = collect_sample(complete, max_rows or DEFAULT_MAX_ROWS[method], seed)
    values = sample.frame.to_numpy()
    if values.shape[0] < 3:
        raise BadRequest("correlation needs at least 3 complete rows")
    matrix = _matrix(values, method)
    pairs = _strongest_pairs(values, matrix, names, method, top)
    matrix_list = [[float(v) if np.isfinite(v) else None for v in row] for row in matrix]
    label = method.capitalize()
    summary = f"{label} correlation of {len(names)} columns over {values.shape[0]:,} complete rows."
    if pairs:
        best = pairs[0]
        summary += (
            f" Strongest pair: {best['a']} and {best['b']}, r = {best['r']:.3f} "
            f"(p {fmt_p(best['p_value'])})."
        )
    table = make_table(
        "Strongest pairs",
        ["a", "b", "r", "p_value"],
        [[p["a"], p["b"], p["r"], p["p_value"]] for p in pairs],
    )
    figure = charts.heatmap(
        matrix_list, names, names, f"{method.capitalize()} correlation", zmin=-1, zmax=1
    )
    data = {
        "method": method,
        "columns": names,
        "matrix": matrix_list,
        "pairs": pairs,
        "n": int(values.shape[0]),
    }
    return AnalysisResult(
        kind="correlation",
        summary=summary,
        data=data,
        tables=[table],
        figures=[figure],
        sample_note=sample.note,
    )


def _strongest_pairs(
    values: np.ndarray, matrix: np.ndarray, names: list[str], method: Method, top: int
) -> list[dict[str, Any]]:
    """The `top` column pairs by |r|, each with its test p-value."""
    pairs: list[dict[str, Any]] = []
    for i, j in sorted(combinations(range(len(names)), 2), key=lambda ij: -abs(matrix[ij])):
        if len(pairs) >= top:
            break
        if np.isfinite(matrix[i, j]):
            r, p = _pair_test(values[:, i], values[:, j], method)
            pairs.append({"a": names[i], "b": names[j], "r": r, "p_value": p})
    return pairs
