"""Pass 2 of the profile: histograms, top values and quantiles of every column.

One query counts the values of low-cardinality columns (exact top values, exact
distinct counts, and their histograms binned in Python) together with the bin counts of
the other numeric and temporal columns. Exact quantiles run in memory-bounded column
chunks of their own; exact top values of high-cardinality columns each take a GROUP BY.
Above the exact row limit, quantiles and high-cardinality top values come from the row
sample instead. (DuckDB slows down sharply when map-building aggregates share a query
with many plain ones, so these queries are kept apart from pass 1.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from chatdata.datasets.profile_duckdb import ColumnSpec, fetch_row, parquet_source
from chatdata.datasets.profile_histogram import BinPlan, plan_bins
from chatdata.datasets.profile_quantiles import (
    quantile_chunks,
    quantile_sql,
    quantiles_from_list,
    sample_quantiles,
)
from chatdata.datasets.profile_scan import DatasetScan
from chatdata.datasets.profile_top_values import (
    TopValues,
    ranked,
    top_by_candidates,
    top_by_group,
    top_by_smallest,
    top_of_near_unique,
    top_value_strategy,
)


@dataclass
class ColumnDistribution:
    """Pass-2 figures of one column (top values still raw, masked later if PII)."""

    histogram: dict[str, list[object]] | None = None
    top_values: TopValues = field(default_factory=list)
    quantiles: dict[str, object] | None = None
    top_values_exact: bool = True
    counted_distinct: int | None = None


@dataclass
class DistributionJob:
    """What pass 2 must compute, decided from pass 1."""

    path: Path
    specs: list[ColumnSpec]
    scan: DatasetScan
    sample: pl.DataFrame
    exact: bool
    memory_bytes: int


@dataclass
class _ColumnPlan:
    spec: ColumnSpec
    bins: BinPlan | None
    strategy: str | None


def compute_distributions(
    connection: duckdb.DuckDBPyConnection, job: DistributionJob
) -> list[ColumnDistribution]:
    """Histograms, top values and quantiles for every column of `job`."""
    plans = [
        _ColumnPlan(
            spec,
            plan_bins(spec, job.scan.columns[spec.position]),
            top_value_strategy(spec, job.scan.columns[spec.position], exact=job.exact),
        )
        for spec in job.specs
    ]
    results = [ColumnDistribution() for _ in job.specs]
    _run_map_query(connection, job.path, plans, results)
    if job.exact:
        for chunk in quantile_chunks(job.specs, job.scan.rows, job.memory_bytes):
            _run_quantile_query(connection, job.path, chunk, results)
    for plan in plans:
        _finish_column(connection, job, plan, results[plan.spec.position])
    return results


def _run_map_query(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    plans: list[_ColumnPlan],
    results: list[ColumnDistribution],
) -> None:
    items: list[tuple[str, _ColumnPlan, str]] = []
    for plan in plans:
        if plan.strategy == "histogram":
            items.append(("values", plan, f"histogram({plan.spec.fetch_sql})"))
        if plan.bins is not None and plan.strategy != "histogram":
            items.append(("bins", plan, f"histogram({plan.bins.index_sql(plan.spec)})"))
    if not items:
        return
    select = ", ".join(sql for _, _, sql in items)
    # every identifier and literal in the query is quoted (profile_duckdb.quote_*)
    row = fetch_row(connection, f"SELECT {select} FROM {parquet_source(path)}")  # noqa: S608
    for (what, plan, _), value in zip(items, row, strict=True):
        result = results[plan.spec.position]
        if what == "bins" and plan.bins is not None:
            counts = plan.bins.counts(value if isinstance(value, dict) else {})
            result.histogram = {"edges": plan.bins.edges, "counts": list(counts)}
        elif isinstance(value, dict):
            _apply_value_counts(plan, value, result)


def _apply_value_counts(
    plan: _ColumnPlan, value_counts: dict[Any, Any], result: ColumnDistribution
) -> None:
    """Exact top values, distinct count and (if binned) histogram from a value-count map."""
    result.top_values = ranked(value_counts.items())
    result.counted_distinct = len(value_counts)
    if plan.bins is not None:
        counts = plan.bins.counts_from_values(value_counts.items())
        result.histogram = {"edges": plan.bins.edges, "counts": list(counts)}


def _run_quantile_query(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    chunk: list[ColumnSpec],
    results: list[ColumnDistribution],
) -> None:
    select = ", ".join(quantile_sql(spec) for spec in chunk)
    row = fetch_row(connection, f"SELECT {select} FROM {parquet_source(path)}")  # noqa: S608
    for spec, value in zip(chunk, row, strict=True):
        results[spec.position].quantiles = quantiles_from_list(value)


def _finish_column(
    connection: duckdb.DuckDBPyConnection,
    job: DistributionJob,
    plan: _ColumnPlan,
    result: ColumnDistribution,
) -> None:
    """Per-column work outside the shared query: exact GROUP BY, or sample estimates."""
    spec = plan.spec
    sampled = job.sample.get_column(spec.name)
    if plan.strategy == "group_by":
        result.top_values = top_by_group(connection, job.path, spec)
    elif plan.strategy == "smallest":
        result.top_values = top_by_smallest(connection, job.path, spec)
    elif plan.strategy == "candidates":
        result.top_values = top_by_candidates(connection, job.path, spec, sampled)
        result.top_values_exact = False
    elif plan.strategy == "near_unique":
        scan = job.scan.columns[spec.position]
        result.top_values = top_of_near_unique(sampled, scan.non_null, scan.distinct or 1)
        result.top_values_exact = False
    if not job.exact:
        result.quantiles = sample_quantiles(spec, sampled)
