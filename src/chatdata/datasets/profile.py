"""Profile a Parquet dataset: per-column statistics, semantic types and PII, masked.

`profile_parquet` never loads the file whole: a cheap spread-out row sample (PII,
semantic types, estimates), one DuckDB aggregate pass for every linear figure, one for
value counts and histograms, and above the exact limit a Polars pass for duplicates.
DuckDB runs with a memory limit, 2 threads and a private spill directory.

Figures are exact up to `exact_row_limit` rows. Above it, distinct counts of
high-cardinality columns (HyperLogLog), quantiles (row sample), top values of
high-cardinality columns (sampled candidates, counted exactly) and the duplicate-row
count (one hash partition, scaled) are approximate and named in `approximate`; row
counts, null counts, min/max, mean/std, histograms and low-cardinality top values and
distinct counts stay exact.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from chatdata.datasets.profile_bounds import distinct_bounds
from chatdata.datasets.profile_columns import ColumnInputs, build_column_profile
from chatdata.datasets.profile_distribution import (
    ColumnDistribution,
    DistributionJob,
    compute_distributions,
)
from chatdata.datasets.profile_duckdb import (
    ColumnSpec,
    column_specs,
    memory_limit_bytes,
    profile_connection,
)
from chatdata.datasets.profile_duplicates import count_duplicate_rows, partition_key
from chatdata.datasets.profile_models import ColumnProfile, DatasetProfile
from chatdata.datasets.profile_sample import read_spread_sample
from chatdata.datasets.profile_scan import ColumnScan, scan_columns
from chatdata.datasets.profile_top_values import LOW_CARDINALITY
from chatdata.datasets.profile_types import NUMERIC_TYPES, fixed_width_bytes
from chatdata.errors import ValidationFailed

__all__ = ["ColumnProfile", "DatasetProfile", "ProfileFailed", "profile_parquet"]

EXACT_SAMPLE_ROWS = 20_000
APPROXIMATE_SAMPLE_ROWS = 100_000
STRING_VIEW_BYTES = 16


class ProfileFailed(ValidationFailed):
    """The file could not be read as Parquet or profiled."""

    code = "profile_failed"


def profile_parquet(
    path: Path,
    *,
    exact_row_limit: int = 10_000_000,
    memory_limit: str = "512MB",
    threads: int = 2,
) -> DatasetProfile:
    """Profile the Parquet file at `path` (exact up to `exact_row_limit` rows)."""
    try:
        return _profile(path, exact_row_limit, memory_limit, threads)
    except (duckdb.Error, pa.ArrowException, pl.exceptions.PolarsError, OSError) as exc:
        raise ProfileFailed(
            "The dataset file could not be profiled.", details={"reason": str(exc)[:500]}
        ) from exc


def _profile(path: Path, exact_row_limit: int, memory_limit: str, threads: int) -> DatasetProfile:
    schema = pl.scan_parquet(path).collect_schema()
    exact = pq.read_metadata(path).num_rows <= exact_row_limit
    sample = read_spread_sample(path, EXACT_SAMPLE_ROWS if exact else APPROXIMATE_SAMPLE_ROWS)
    with profile_connection(memory_limit, threads) as connection:
        specs = column_specs(connection, path, schema)
        bounds = distinct_bounds(path, specs, LOW_CARDINALITY)
        shifts = _shifts(specs, sample)
        scan = scan_columns(connection, path, specs, shifts, exact=exact, bounds=bounds)
        specs = scan.specs  # floats now say whether they need NaN/inf filtering
        job = DistributionJob(path, specs, scan, sample, exact, memory_limit_bytes(memory_limit))
        distributions = compute_distributions(connection, job)
        key = None if exact else partition_key(specs, sample)
        duplicate_rows = count_duplicate_rows(connection, path, specs, scan.rows, key)
    profiles = [
        build_column_profile(
            ColumnInputs(spec, scan.columns[spec.position], distributions[spec.position]),
            scan.rows,
            sample.get_column(spec.name),
        )
        for spec in specs
    ]
    approximate = _approximate_figures(
        exact, key is not None, distributions, profiles, scan.columns
    )
    return DatasetProfile(
        rows=scan.rows,
        columns=len(specs),
        duplicate_rows=duplicate_rows,
        memory_bytes=_memory_estimate(specs, scan.columns, scan.rows),
        file_size=path.stat().st_size,
        approximate=approximate,
        column_profiles=profiles,
    )


def _shifts(specs: list[ColumnSpec], sample: pl.DataFrame) -> dict[str, float]:
    """Approximate means from the sample, to centre the pass-1 sums."""
    shifts: dict[str, float] = {}
    for spec in specs:
        if spec.logical not in NUMERIC_TYPES:
            continue
        values = sample.get_column(spec.name).cast(pl.Float64, strict=False).drop_nulls()
        mean = values.filter(values.is_finite()).mean()
        shifts[spec.name] = float(mean) if isinstance(mean, int | float) else 0.0
    return shifts


def _approximate_figures(
    exact: bool,
    partitioned: bool,
    distributions: list[ColumnDistribution],
    profiles: list[ColumnProfile],
    scans: list[ColumnScan],
) -> list[str]:
    if exact:
        return []
    figures: list[str] = []
    if any(
        scan.distinct is not None and dist.counted_distinct is None
        for scan, dist in zip(scans, distributions, strict=True)
    ):
        figures.append("distinct_count")
    if any(profile.quantiles is not None for profile in profiles):
        figures.append("quantiles")
    if any(not dist.top_values_exact for dist in distributions):
        figures.append("top_values")
    if partitioned:
        figures.append("duplicate_rows")
    return figures


def _memory_estimate(specs: list[ColumnSpec], scans: list[ColumnScan], rows: int) -> int:
    """Estimated in-memory size (Polars/Arrow layout): fixed widths, string views + bytes,
    validity bitmaps for columns with nulls."""
    total = 0.0
    for spec, scan in zip(specs, scans, strict=True):
        width = fixed_width_bytes(spec.dtype)
        total += rows * (width if width is not None else STRING_VIEW_BYTES)
        total += scan.string_bytes or 0
        if scan.non_null < rows:
            total += (rows + 7) // 8
    return int(total)
