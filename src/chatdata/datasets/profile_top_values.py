"""Top values (10 most frequent, ties by value) with the cheapest method per column.

- up to `LOW_CARDINALITY` distinct values: exact counts from a `histogram()` map;
- every value unique (exact mode): the 10 smallest values, each counted once;
- otherwise, exact mode: a GROUP BY of that one column;
- otherwise, above the exact limit: the row sample's most frequent values are the
  candidates and their counts are taken exactly over the whole column (membership
  approximate); for a nearly unique column (distinct estimate at least half the
  values) the smallest sampled values with the average count instead.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from chatdata.datasets.profile_duckdb import ColumnSpec, parquet_source
from chatdata.datasets.profile_scan import ColumnScan
from chatdata.datasets.profile_types import COUNTABLE_TYPES

TOP_VALUES = 10
LOW_CARDINALITY = 10_000
NEAR_UNIQUE_SHARE = 0.5

TopValues = list[tuple[Any, int]]


def top_value_strategy(spec: ColumnSpec, scan: ColumnScan, *, exact: bool) -> str | None:
    """`histogram`, `smallest`, `group_by`, `candidates`, `near_unique`, or None."""
    if spec.logical not in COUNTABLE_TYPES or scan.non_null == 0 or scan.distinct is None:
        return None
    if scan.distinct <= LOW_CARDINALITY:
        return "histogram"
    if exact:
        return "smallest" if scan.distinct == scan.non_null else "group_by"
    return "near_unique" if scan.distinct >= NEAR_UNIQUE_SHARE * scan.non_null else "candidates"


def top_by_smallest(
    connection: duckdb.DuckDBPyConnection, path: Path, spec: ColumnSpec
) -> TopValues:
    """Top values of an all-unique column: its 10 smallest values, each counted once."""
    # the identifier and the file path are quoted (profile_duckdb.quote_*)
    source, column = parquet_source(path), spec.fetch_sql
    sql = f"SELECT {column} FROM {source} WHERE {column} IS NOT NULL "  # noqa: S608
    sql += f"ORDER BY 1 LIMIT {TOP_VALUES}"
    return [(row[0], 1) for row in connection.sql(sql).fetchall()]


def ranked(counts: Iterable[tuple[Any, Any]]) -> TopValues:
    """The 10 entries with the highest count, ties by ascending value (NaN/inf left out)."""
    pairs: TopValues = [(value, int(count)) for value, count in counts if not _non_finite(value)]
    try:
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    except TypeError:
        pairs.sort(key=lambda pair: (-pair[1], str(pair[0])))
    return pairs[:TOP_VALUES]


def _non_finite(value: object) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def top_by_group(connection: duckdb.DuckDBPyConnection, path: Path, spec: ColumnSpec) -> TopValues:
    """Exact top values of one column by grouping it."""
    # the identifier and the file path are quoted (profile_duckdb.quote_*)
    source, column = parquet_source(path), spec.fetch_sql
    sql = f"SELECT {column} AS v, count(*) AS n FROM {source} WHERE {column} IS NOT NULL "  # noqa: S608
    sql += f"GROUP BY 1 ORDER BY n DESC, v ASC LIMIT {TOP_VALUES}"
    return [(value, int(count)) for value, count in connection.sql(sql).fetchall()]


def top_by_candidates(
    connection: duckdb.DuckDBPyConnection, path: Path, spec: ColumnSpec, sample: pl.Series
) -> TopValues:
    """Whole-column counts of the sample's most frequent values."""
    candidates = _usable(sample).value_counts(name="count")
    ordered = candidates.sort(["count", "value"], descending=[True, False]).head(TOP_VALUES)
    values = ordered.get_column("value").to_list()
    if not values:
        return []
    # quoted identifier and path; the candidate values are bound as a parameter
    source, column = parquet_source(path), spec.fetch_sql
    sql = f"SELECT c.v, count(*) FROM (SELECT {column} AS v FROM {source}) s "  # noqa: S608
    sql += f"JOIN (SELECT unnest(?::{spec.fetch_type}[]) AS v) c ON s.v = c.v GROUP BY c.v"
    return ranked(connection.sql(sql, params=[values]).fetchall())


def top_of_near_unique(sample: pl.Series, non_null: int, distinct: int) -> TopValues:
    """The smallest sampled values of a nearly unique column, with the average count."""
    average = max(1, round(non_null / max(distinct, 1)))
    smallest = _usable(sample).unique().sort().head(TOP_VALUES)
    return [(value, average) for value in smallest.to_list()]


def _usable(sample: pl.Series) -> pl.Series:
    """Non-null (and finite) sampled values."""
    values = sample.drop_nulls().alias("value")
    return values.filter(values.is_finite()) if values.dtype.is_float() else values
