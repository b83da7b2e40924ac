"""Quantiles p05..p95: exact in DuckDB, or from the row sample above the exact limit.

Numbers interpolate linearly (numpy's default method); dates and datetimes report an
actual value of the column (numpy's `inverted_cdf` method, DuckDB's `quantile_disc`)."""

from __future__ import annotations

import polars as pl

from chatdata.datasets.profile_duckdb import ColumnSpec
from chatdata.datasets.profile_histogram import ordinal_value
from chatdata.datasets.profile_types import BINNED_TYPES, NUMERIC_TYPES, json_value

QUANTILE_LEVELS = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
BYTES_PER_HELD_VALUE = 16


def quantile_sql(spec: ColumnSpec) -> str:
    """The aggregate giving the column's five quantiles as a list."""
    levels = "[" + ", ".join(str(level) for level in QUANTILE_LEVELS.values()) + "]"
    if spec.logical in NUMERIC_TYPES:
        return f"quantile_cont(({spec.value_sql})::DOUBLE, {levels})"
    return f"quantile_disc({spec.fetch_sql}, {levels})"


def quantile_chunks(
    specs: list[ColumnSpec], rows: int, memory_bytes: int
) -> list[list[ColumnSpec]]:
    """Group columns so each query holds at most a quarter of the memory limit in values."""
    wanted = [spec for spec in specs if spec.logical in BINNED_TYPES]
    held_per_column = max(1, rows * BYTES_PER_HELD_VALUE)
    per_chunk = max(1, (memory_bytes // 4) // held_per_column)
    return [wanted[start : start + per_chunk] for start in range(0, len(wanted), per_chunk)]


def quantiles_from_list(values: object) -> dict[str, object] | None:
    """{"p05": ..., "p95": ...} from DuckDB's list result (None when there were no values)."""
    if not isinstance(values, list) or len(values) != len(QUANTILE_LEVELS):
        return None
    return {name: json_value(value) for name, value in zip(QUANTILE_LEVELS, values, strict=True)}


def sample_quantiles(spec: ColumnSpec, sample: pl.Series) -> dict[str, object] | None:
    """Quantiles of the sampled values (numbers interpolated; temporals the nearest value)."""
    if spec.logical in NUMERIC_TYPES:
        numbers = sample.cast(pl.Float64, strict=False).drop_nulls()
        numbers = numbers.filter(numbers.is_finite())
        if numbers.is_empty():
            return None
        return {n: numbers.quantile(q, "linear") for n, q in QUANTILE_LEVELS.items()}
    if spec.logical in {"date", "datetime"}:
        ordinals = _ordinals(spec.logical, sample.drop_nulls())
        if ordinals.is_empty():
            return None
        return {
            name: ordinal_value(spec.logical, int(ordinals.quantile(level, "nearest") or 0))
            for name, level in QUANTILE_LEVELS.items()
        }
    return None


def _ordinals(logical: str, values: pl.Series) -> pl.Series:
    """Days (dates) or microseconds (datetimes) since the epoch, as Int64."""
    if logical == "date":
        return values.cast(pl.Date).to_physical().cast(pl.Int64)
    return values.dt.cast_time_unit("us").to_physical().cast(pl.Int64)
