"""Duplicate-row count: exact, or estimated from one hash partition above the exact limit.

Rows are compared by a 64-bit hash of all their values (a collision between two
different rows is vanishingly unlikely at these sizes). Duplicate rows share every
value, so partitioning the rows by the hash of one varied column keeps each group of
duplicates whole: counting duplicates inside one partition of `PARTITIONS` and scaling
up gives an unbiased estimate that is exactly 0 when there are none in it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from chatdata.datasets.profile_duckdb import ColumnSpec, fetch_row, parquet_source

PARTITIONS = 32
HASH_SEED = 20240601
MIN_KEY_DISTINCT = 1000


def count_duplicate_rows(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    specs: list[ColumnSpec],
    rows: int,
    key: ColumnSpec | None,
) -> int | None:
    """Exact duplicate rows when `key` is None, else the partition estimate."""
    if not specs:
        return None
    if key is None:
        row_hash = "hash(" + ", ".join(spec.ident for spec in specs) + ")"
        # every identifier and literal in the query is quoted (profile_duckdb.quote_*)
        sql = f"SELECT count(*) - count(DISTINCT {row_hash}) FROM {parquet_source(path)}"  # noqa: S608
        return int(fetch_row(connection, sql)[0])
    return _estimate_from_partition(path, key, rows)


def _estimate_from_partition(path: Path, key: ColumnSpec, rows: int) -> int:
    """Polars reads the key column first and decodes the rest only for the rows of the
    partition, which makes this far cheaper than hashing every row."""
    partition = pl.scan_parquet(path).filter(
        pl.col(key.name).hash(seed=HASH_SEED) % PARTITIONS == 0
    )
    counted = partition.select(
        pl.len().alias("rows"),
        pl.struct(pl.all()).hash(seed=HASH_SEED).n_unique().alias("distinct"),
    ).collect(engine="streaming")
    in_partition, distinct = (int(value) for value in counted.row(0))
    if in_partition == 0:
        return 0
    return round((in_partition - distinct) * rows / in_partition)


def partition_key(specs: list[ColumnSpec], sample: pl.DataFrame) -> ColumnSpec | None:
    """The most varied sampled column to partition by; None (count exactly) when no column
    varies enough to split the rows evenly."""
    best: tuple[int, ColumnSpec] | None = None
    for spec in specs:
        if spec.logical == "other":
            continue
        distinct = sample.get_column(spec.name).n_unique()
        if best is None or distinct > best[0]:
            best = (distinct, spec)
    if best is None or best[0] < MIN_KEY_DISTINCT:
        return None
    return best[1]
