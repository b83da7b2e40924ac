"""Pass 1 of the profile: every linear-cost figure of every column in one DuckDB query.

Counts, min/max, shifted sums for mean and standard deviation, distinct counts (exact,
or HyperLogLog above the exact row limit) and string byte totals. The sums are taken
around a shift near the mean so the variance stays well conditioned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from chatdata.datasets.profile_duckdb import (
    ColumnSpec,
    double_literal,
    fetch_row,
    parquet_source,
)
from chatdata.datasets.profile_types import COUNTABLE_TYPES, NUMERIC_TYPES, ORDERED_TYPES


@dataclass
class ColumnScan:
    """Pass-1 figures of one column."""

    non_null: int = 0
    minimum: object = None
    maximum: object = None
    ordinal_min: int | None = None
    ordinal_max: int | None = None
    finite_count: int = 0
    mean: float | None = None
    std: float | None = None
    distinct: int | None = None
    string_bytes: int | None = None


@dataclass
class DatasetScan:
    """Pass-1 figures of the dataset."""

    rows: int
    columns: list[ColumnScan] = field(default_factory=list)
    specs: list[ColumnSpec] = field(default_factory=list)


@dataclass
class _Query:
    """SELECT items with stable keys, so results are read by name."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, key: str, sql: str) -> None:
        self.items.append((key, sql))


def scan_columns(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    specs: list[ColumnSpec],
    shifts: dict[str, float],
    *,
    exact: bool,
    bounds: dict[int, int],
) -> DatasetScan:
    """Run pass 1; `shifts` (name -> approximate mean) centre the numeric sums.

    Columns in `bounds` (position -> a low upper bound of their distinct values, see
    `profile_bounds`) take that bound as their distinct figure instead of a count: pass 2
    counts their values exactly.

    Float columns are first summed as they are (cheap); only a column whose sums come
    out NaN or infinite, so it holds NaN/inf values, is summed again over its finite
    values. Exact distinct counts run as a query of their own: DuckDB is much slower
    when DISTINCT aggregates share a query with many plain ones."""
    optimistic = [replace(spec, filter_non_finite=False) for spec in specs]
    query = _Query()
    query.add("rows", "count(*)")
    for spec in optimistic:
        counted = spec.position not in bounds
        _add_column_items(
            query, spec, shifts.get(spec.name, 0.0), approximate=counted and not exact
        )
    values = _run(connection, path, query)
    dirty = [spec for spec in specs if spec.is_float and not _sums_finite(values, spec)]
    rescan = _Query()
    for spec in dirty:
        _add_numeric_items(rescan, spec, shifts.get(spec.name, 0.0))
    values |= _run(connection, path, rescan)
    if exact:
        unbounded = [spec for spec in specs if spec.position not in bounds]
        values |= _run(connection, path, _exact_distinct_query(unbounded))
    values |= {f"c{position}_distinct": bound for position, bound in bounds.items()}
    finite_specs = [
        spec if spec in dirty else replace(spec, filter_non_finite=False) for spec in specs
    ]
    scans = [_column_scan(values, spec, shifts.get(spec.name, 0.0)) for spec in finite_specs]
    return DatasetScan(_as_int(values["rows"]), scans, finite_specs)


def _sums_finite(values: dict[str, object], spec: ColumnSpec) -> bool:
    key = f"c{spec.position}"
    figures = [values.get(f"{key}_{name}") for name in ("s1", "s2", "min", "max")]
    return all(not isinstance(value, float) or math.isfinite(value) for value in figures)


def _run(connection: duckdb.DuckDBPyConnection, path: Path, query: _Query) -> dict[str, object]:
    if not query.items:
        return {}
    select = ", ".join(sql for _, sql in query.items)
    # every identifier and literal in the query is quoted (profile_duckdb.quote_*)
    row = fetch_row(connection, f"SELECT {select} FROM {parquet_source(path)}")  # noqa: S608
    return {key: value for (key, _), value in zip(query.items, row, strict=True)}


def _add_numeric_items(query: _Query, spec: ColumnSpec, shift: float) -> None:
    """Min, max, finite count and shifted sums of a numeric column."""
    key, value = f"c{spec.position}", spec.value_sql
    deviation = f"(({value})::DOUBLE - {double_literal(shift)})"
    query.add(f"{key}_min", f"min({value})")
    query.add(f"{key}_max", f"max({value})")
    if spec.is_float and spec.filter_non_finite:
        query.add(f"{key}_finite", f"count({value})")
    query.add(f"{key}_s1", f"sum({deviation})")
    query.add(f"{key}_s2", f"sum({deviation} * {deviation})")


def _exact_distinct_query(specs: list[ColumnSpec]) -> _Query:
    query = _Query()
    for spec in specs:
        if spec.logical in COUNTABLE_TYPES:
            query.add(f"c{spec.position}_distinct", f"count(DISTINCT {spec.ident})")
    return query


def _add_column_items(query: _Query, spec: ColumnSpec, shift: float, *, approximate: bool) -> None:
    """Pass-1 items of one column; `approximate` adds its HyperLogLog distinct count."""
    key, ident = f"c{spec.position}", spec.ident
    query.add(f"{key}_n", f"count({ident})")
    if spec.logical in COUNTABLE_TYPES and approximate:
        query.add(f"{key}_distinct", f"approx_count_distinct({ident})")
    if spec.logical in NUMERIC_TYPES:
        _add_numeric_items(query, spec, shift)
    elif spec.logical in ORDERED_TYPES:
        query.add(f"{key}_min", f"min({spec.fetch_sql})")
        query.add(f"{key}_max", f"max({spec.fetch_sql})")
    if spec.logical in {"date", "datetime"}:
        query.add(f"{key}_omin", f"min({spec.ordinal_sql})")
        query.add(f"{key}_omax", f"max({spec.ordinal_sql})")
    if spec.logical == "string":
        query.add(f"{key}_bytes", f"sum(strlen({ident}))")


def _column_scan(values: dict[str, object], spec: ColumnSpec, shift: float) -> ColumnScan:
    key = f"c{spec.position}"
    scan = ColumnScan(non_null=_as_int(values[f"{key}_n"]))
    scan.distinct = _optional_int(values.get(f"{key}_distinct"))
    scan.minimum, scan.maximum = values.get(f"{key}_min"), values.get(f"{key}_max")
    ordinal_keys = ("_omin", "_omax") if spec.logical != "integer" else ("_min", "_max")
    scan.ordinal_min = _optional_int(values.get(key + ordinal_keys[0]))
    scan.ordinal_max = _optional_int(values.get(key + ordinal_keys[1]))
    scan.string_bytes = _optional_int(values.get(f"{key}_bytes"))
    if spec.logical in NUMERIC_TYPES:
        finite = values.get(f"{key}_finite", values[f"{key}_n"])
        scan.finite_count = _as_int(finite)
        _set_moments(scan, shift, values.get(f"{key}_s1"), values.get(f"{key}_s2"))
    return scan


def _set_moments(scan: ColumnScan, shift: float, s1: object, s2: object) -> None:
    count = scan.finite_count
    if count == 0 or not isinstance(s1, float) or not isinstance(s2, float):
        return
    scan.mean = shift + s1 / count
    if count >= 2:
        variance = max(0.0, (s2 - s1 * s1 / count) / (count - 1))
        scan.std = math.sqrt(variance)


def _as_int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _optional_int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None
