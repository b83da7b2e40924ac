"""Upper bounds on distinct counts, read from the Parquet statistics at no scan cost.

A boolean column holds at most 2 values, an integer column at most max - min + 1, a date
column at most one per day of its span. When such a bound is low, pass 2 counts the
column's values exactly anyway, so pass 1 need not estimate (HyperLogLog) or count
(DISTINCT) them: on a wide file of dates, flags and small codes those are most of its cost.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from chatdata.datasets.profile_duckdb import ColumnSpec

BOUNDED_TYPES = frozenset({"boolean", "integer", "date"})


def distinct_bounds(path: Path, specs: list[ColumnSpec], limit: int) -> dict[int, int]:
    """Column position -> an upper bound of its distinct values, for the columns whose
    statistics prove that bound to be at most `limit` (columns without statistics, or
    with a wider span, are left out)."""
    metadata = pq.read_metadata(path)
    schema = metadata.schema.to_arrow_schema()
    if any(pa.types.is_nested(field.type) for field in schema):
        return {}  # Parquet leaf columns then no longer line up with the fields
    bounds: dict[int, int] = {}
    for spec in specs:
        index = schema.get_field_index(spec.name)
        if spec.logical not in BOUNDED_TYPES or index < 0:
            continue
        bound = 2 if spec.logical == "boolean" else _span(metadata, index)
        if bound is not None and bound <= limit:
            bounds[spec.position] = bound
    return bounds


def _span(metadata: pq.FileMetaData, index: int) -> int | None:
    """max - min + 1 over every row group (days for dates); None if any group lacks it."""
    low: object = None
    high: object = None
    for group in range(metadata.num_row_groups):
        chunk = metadata.row_group(group).column(index)
        statistics = chunk.statistics
        if statistics is None:
            return None
        if statistics.has_null_count and statistics.null_count == chunk.num_values:
            continue  # only nulls: no min/max, and no values to count
        if not statistics.has_min_max:
            return None
        low = statistics.min if low is None else min(low, statistics.min)
        high = statistics.max if high is None else max(high, statistics.max)
    if low is None or high is None:
        return None
    difference = high - low  # type: ignore[operator]
    return int(getattr(difference, "days", difference)) + 1
