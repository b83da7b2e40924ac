"""A cheap, spread-out row sample of a Parquet file (for PII, semantic types, estimates).

Small files are read whole. Large files contribute the leading rows of up to
`MAX_SAMPLED_ROW_GROUPS` row groups picked evenly across the file, so the sample spans
the whole file while only a fraction of it is decoded. Time-zone-aware datetimes come
back as naive UTC, as everywhere in the profile."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

MAX_SAMPLED_ROW_GROUPS = 32


def read_spread_sample(path: Path, target_rows: int) -> pl.DataFrame:
    """About `target_rows` rows taken from evenly spaced row groups of the file."""
    parquet = pq.ParquetFile(path)
    if parquet.metadata.num_rows <= target_rows:
        return _naive_utc(pl.read_parquet(path))
    groups = _spread_indices(parquet.num_row_groups, MAX_SAMPLED_ROW_GROUPS)
    per_group = math.ceil(target_rows / len(groups))
    batches: list[pa.RecordBatch] = []
    for group in groups:
        batch = next(iter(parquet.iter_batches(batch_size=per_group, row_groups=[group])), None)
        if batch is not None:
            batches.append(batch)
    table = pa.Table.from_batches(batches, schema=parquet.schema_arrow)
    sample = pl.from_arrow(table)
    assert isinstance(sample, pl.DataFrame)
    return _naive_utc(sample)


def _naive_utc(frame: pl.DataFrame) -> pl.DataFrame:
    """Time-zone-aware datetimes as naive UTC, the form the profile reports them in."""
    aware = [
        name
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    ]
    converted = [
        pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None) for name in aware
    ]
    return frame.with_columns(converted) if converted else frame


def _spread_indices(count: int, wanted: int) -> list[int]:
    """Up to `wanted` distinct indices in range(count), evenly spaced, first and last included."""
    if count <= wanted:
        return list(range(count))
    step = (count - 1) / (wanted - 1)
    return sorted({round(index * step) for index in range(wanted)})
