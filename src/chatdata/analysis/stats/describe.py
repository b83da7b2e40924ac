"""Descriptive summary of a table: per-column statistics and histograms, over the full data.

Everything is computed by streaming Polars aggregates, so it works on files larger than
memory: counts, missing values, mean/std/quantiles for numbers, distinct and top values for
text, min/max for dates, and binned histograms of the numeric columns.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_int, fmt_num
from chatdata.analysis.frames import require_columns, schema_of, to_lazy
from chatdata.analysis.result import AnalysisResult, make_table

NUMERIC_STATS = ["count", "missing", "mean", "std", "min", "q25", "median", "q75", "max", "skew"]


def _column_stats(lf: pl.LazyFrame, name: str) -> dict[str, Any]:
    c = pl.col(name).cast(pl.Float64)
    exprs = [
        c.count().alias("count"),
        c.null_count().alias("missing"),
        c.mean().alias("mean"),
        c.std().alias("std"),
        c.min().alias("min"),
        c.quantile(0.25, "linear").alias("q25"),
        c.median().alias("median"),
        c.quantile(0.75, "linear").alias("q75"),
        c.max().alias("max"),
        c.skew().alias("skew"),
    ]
    return lf.select(exprs).collect(engine="streaming").row(0, named=True)


def _numeric_stats(lf: pl.LazyFrame, names: list[str]) -> dict[str, dict[str, Any]]:
    """Per-column statistics, one column at a time so exact quantiles hold one column in memory."""
    return {name: _column_stats(lf, name) for name in names}


def _other_stats(
    lf: pl.LazyFrame, names: list[str], schema: pl.Schema
) -> dict[str, dict[str, Any]]:
    queries = []
    for name in names:
        c = pl.col(name)
        base = [
            c.count().alias("count"),
            c.null_count().alias("missing"),
            c.n_unique().alias("distinct"),
        ]
        if schema[name].is_temporal():
            base += [c.min().alias("min"), c.max().alias("max")]
        queries.append(lf.select(base))
        top = (
            lf.select(c.cast(pl.String))
            .drop_nulls()
            .group_by(name)
            .len()
            .sort(["len", name], descending=[True, False])
        )
        queries.append(top.head(5))
    results = pl.collect_all(queries, engine="streaming")
    stats: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(names):
        info = results[2 * i].row(0, named=True)
        info["distinct"] = int(info["distinct"]) - (1 if info["missing"] else 0)
        info["top"] = [{"value": v, "count": n} for v, n in results[2 * i + 1].iter_rows()]
        stats[name] = info
    return stats


def _histogram(lf: pl.LazyFrame, name: str, low: float, high: float, bins: int) -> dict[str, Any]:
    width = (high - low) / bins if high > low else 1.0
    index = ((pl.col(name).cast(pl.Float64) - low) / width).floor().clip(0, bins - 1).cast(pl.Int64)
    counted = (
        lf.select(index.alias("bin")).drop_nulls().group_by("bin").len().collect(engine="streaming")
    )
    counts = [0] * bins
    for b, n in counted.iter_rows():
        counts[b] = n
    edges = [low + width * i for i in range(bins + 1)]
    return charts.histogram_from_bins(edges, counts, f"Distribution of {name}", name)


def describe(
    frame: object, columns: list[str] | None = None, bins: int = 30, max_histograms: int = 6
) -> AnalysisResult:
    """Summarise every column (or `columns`): numbers, text and dates, with histograms."""
    lf = to_lazy(frame)
    schema = schema_of(lf)
    names = columns or schema.names()
    require_columns(schema, names)
    numeric = [n for n in names if schema[n].is_numeric()]
    others = [n for n in names if n not in numeric]
    rows = int(lf.select(pl.len()).collect().item())
    num_stats = _numeric_stats(lf, numeric)
    other_stats = _other_stats(lf, others, schema)
    figures = [
        _histogram(lf, n, s["min"], s["max"], bins)
        for n, s in list(num_stats.items())[:max_histograms]
        if s["min"] is not None
    ]
    table = make_table(
        "Numeric columns",
        ["column", *NUMERIC_STATS],
        [[n, *[s[k] for k in NUMERIC_STATS]] for n, s in num_stats.items()],
    )
    other_table = make_table(
        "Other columns",
        ["column", "type", "count", "missing", "distinct", "most common"],
        [
            [
                n,
                str(schema[n]),
                s["count"],
                s["missing"],
                s["distinct"],
                s["top"][0]["value"] if s["top"] else None,
            ]
            for n, s in other_stats.items()
        ],
    )
    parts = [
        f"{n}: mean {fmt_num(s['mean'])}, std {fmt_num(s['std'])}, median {fmt_num(s['median'])}, "
        f"range {fmt_num(s['min'])} to {fmt_num(s['max'])}, {fmt_int(s['missing'])} missing"
        for n, s in list(num_stats.items())[:5]
    ]
    summary = f"{fmt_int(rows)} rows, {len(names)} columns ({len(numeric)} numeric)." + (
        " " + "; ".join(parts) + "." if parts else ""
    )
    data = {
        "rows": rows,
        "columns": names,
        "numeric": num_stats,
        "other": other_stats,
        "types": {n: str(schema[n]) for n in names},
    }
    return AnalysisResult(
        kind="describe", summary=summary, data=data, tables=[table, other_table], figures=figures
    )
