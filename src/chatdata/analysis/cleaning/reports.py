"""Read-only cleaning previews: missing values with a suggested strategy, outlier counts.

These change nothing; they help choose the steps of a pipeline. Both run as streaming
Polars aggregates over the full data.
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl

from chatdata.analysis import charts
from chatdata.analysis.cleaning.outliers import statistical_bounds
from chatdata.analysis.cleaning.specs import Outliers
from chatdata.analysis.formatting import fmt_int, fmt_num, fmt_pct
from chatdata.analysis.frames import require_columns, require_numeric, schema_of, to_lazy
from chatdata.analysis.result import AnalysisResult, make_table

DROP_COLUMN_SHARE = 0.5
SKEW_LIMIT = 1.0


def _suggestion(dtype: pl.DataType, share: float, skew: float | None) -> tuple[str, str]:
    if share == 0:
        return "none", "no missing values"
    if share > DROP_COLUMN_SHARE:
        return "drop_columns", f"more than {DROP_COLUMN_SHARE:.0%} missing"
    if dtype.is_temporal():
        return "forward", "dates: carry the last known value forward"
    if dtype.is_numeric() and dtype != pl.Boolean:
        if skew is not None and abs(skew) > SKEW_LIMIT:
            return "median", f"skewed numbers (skewness {skew:.2f}): the median resists the tail"
        return "mean", "roughly symmetric numbers"
    return "mode", "categories: the most common value"


def _missing_counts(
    lf: pl.LazyFrame, schema: pl.Schema, names: list[str]
) -> tuple[int, list[dict[str, Any]]]:
    numeric = [n for n in names if schema[n].is_numeric()]
    row = (
        lf.select(
            pl.len().alias("\0rows"),
            *[pl.col(n).null_count().alias(n) for n in names],
            *[pl.col(n).cast(pl.Float64).skew().alias(f"\0skew:{n}") for n in numeric],
        )
        .collect(engine="streaming")
        .row(0, named=True)
    )
    rows = int(row["\0rows"])
    report = []
    for name in names:
        missing = int(row[name])
        share = missing / rows if rows else 0.0
        strategy, reason = _suggestion(schema[name], share, row.get(f"\0skew:{name}"))
        report.append(
            {
                "column": name,
                "type": str(schema[name]),
                "missing": missing,
                "share": share,
                "suggested": strategy,
                "reason": reason,
            }
        )
    return rows, report


def suggest_missing_strategies(frame: object, columns: list[str] | None = None) -> AnalysisResult:
    """Count missing values per column and suggest a fill strategy for each (by type and shape)."""
    lf = to_lazy(frame)
    schema = schema_of(lf)
    names = columns or schema.names()
    require_columns(schema, names)
    rows, report = _missing_counts(lf, schema, names)
    affected = [r for r in report if r["missing"]]
    summary = (
        f"{len(affected)} of {len(names)} columns have missing values over {fmt_int(rows)} rows."
    )
    if affected:
        details = [
            f"{r['column']}: {fmt_int(r['missing'])} ({fmt_pct(r['share'])}), "
            f"suggest {r['suggested']}"
            for r in affected[:8]
        ]
        summary += " " + "; ".join(details) + "."
    keys = ["column", "type", "missing", "share", "suggested", "reason"]
    table = make_table("Missing values", keys, [[r[k] for k in keys] for r in report])
    figure = charts.bar(
        [r["column"] for r in report],
        [r["share"] for r in report],
        "Share of missing values",
        "column",
        "share",
    )
    return AnalysisResult(
        kind="missing_values",
        summary=summary,
        data={"rows": rows, "columns": report},
        tables=[table],
        figures=[figure],
    )


def outlier_report(
    frame: object,
    columns: list[str],
    method: Literal["iqr", "zscore"] = "iqr",
    threshold: float | None = None,
) -> AnalysisResult:
    """Bounds and outlier counts per numeric column by IQR or z-score, without changing data."""
    lf = to_lazy(frame)
    require_numeric(schema_of(lf), columns)
    spec = Outliers(op="outliers", columns=columns, method=method, threshold=threshold)
    bounds = statistical_bounds(lf, spec)
    counts = (
        lf.select(
            pl.len().alias("\0rows"),
            *[
                ((pl.col(n) < lo) | (pl.col(n) > hi)).sum().alias(n)
                for n, (lo, hi) in bounds.items()
            ],
        )
        .collect(engine="streaming")
        .row(0, named=True)
    )
    rows = int(counts["\0rows"])
    report: list[dict[str, Any]] = [
        {
            "column": n,
            "lower": lo,
            "upper": hi,
            "outliers": int(counts[n] or 0),
            "share": (counts[n] or 0) / rows if rows else 0.0,
        }
        for n, (lo, hi) in bounds.items()
    ]
    summary = (
        f"{method.upper() if method == 'iqr' else 'z-score'} outliers over {fmt_int(rows)} rows: "
        + "; ".join(
            f"{r['column']} {fmt_int(r['outliers'])} ({fmt_pct(r['share'])}) outside "
            f"{fmt_num(r['lower'])} to {fmt_num(r['upper'])}"
            for r in report
        )
        + "."
    )
    keys = ["column", "lower", "upper", "outliers", "share"]
    table = make_table("Outliers", keys, [[r[k] for k in keys] for r in report])
    figure = charts.bar(
        columns, [r["outliers"] for r in report], "Outliers per column", "column", "rows"
    )
    return AnalysisResult(
        kind="outliers",
        summary=summary,
        data={"rows": rows, "method": method, "columns": report},
        tables=[table],
        figures=[figure],
    )
