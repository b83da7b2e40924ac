"""Histogram bins: planned from pass-1 min/max, counted in DuckDB or from a value map.

Floats get `MAX_BINS` equal-width bins between min and max like `numpy.histogram`
(each bin half-open, the last closed). Integers, dates and datetimes get integer-aligned
bins on their ordinal axis (value, day, microsecond): `[edge_k, edge_k+1)`, the last edge
one past the maximum, so each integer lands in exactly one bin. A low-cardinality column
already has its exact value counts, so its histogram is binned from those in Python with
the same arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from chatdata.datasets.profile_duckdb import ColumnSpec, double_literal
from chatdata.datasets.profile_scan import ColumnScan

MAX_BINS = 20
EPOCH_DATE = date(1970, 1, 1)
EPOCH_DATETIME = datetime(1970, 1, 1)
EPOCH_DATETIME_UTC = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class BinPlan:
    """How to bin one column: float bins by `span`, ordinal bins by integer `width`."""

    logical: str
    origin: float
    span: float
    width: int
    edges: list[object]

    @property
    def bin_count(self) -> int:
        """Number of bins."""
        return len(self.edges) - 1

    def index_sql(self, spec: ColumnSpec) -> str:
        """SQL giving each value's bin index (NULL for NULL/NaN)."""
        if self.logical != "float":
            return f"({spec.ordinal_sql} - {int(self.origin)}) // {self.width}"
        if self.span == 0:
            return f"CASE WHEN ({spec.value_sql}) IS NOT NULL THEN 0 END"
        value = f"(({spec.value_sql})::DOUBLE)"
        offset = f"({value} - {double_literal(self.origin)}) / {double_literal(self.span)}"
        index = f"floor({offset} * {MAX_BINS})::BIGINT"
        # the maximum lands on index MAX_BINS and joins the last bin (NULL stays NULL)
        return f"({index} - ({index} >= {MAX_BINS})::BIGINT)"

    def index_of(self, value: object) -> int | None:
        """The bin index of one value, computed exactly as `index_sql` does."""
        if self.logical != "float":
            ordinal = python_ordinal(value)
            return None if ordinal is None else (ordinal - int(self.origin)) // self.width
        if isinstance(value, Decimal):
            value = float(value)
        if not isinstance(value, int | float) or not math.isfinite(value):
            return None
        if self.span == 0:
            return 0
        return min(math.floor((float(value) - self.origin) / self.span * MAX_BINS), MAX_BINS - 1)

    def counts(self, counted: dict[Any, Any]) -> list[int]:
        """Counts per bin from a {bin index: count} map (absent bins count 0)."""
        return [int(counted.get(index, 0)) for index in range(self.bin_count)]

    def counts_from_values(self, value_counts: Iterable[tuple[object, int]]) -> list[int]:
        """Counts per bin from exact (value, count) pairs."""
        counts = [0] * self.bin_count
        for value, count in value_counts:
            index = self.index_of(value)
            if index is not None and 0 <= index < self.bin_count:
                counts[index] += int(count)
        return counts


def plan_bins(spec: ColumnSpec, scan: ColumnScan) -> BinPlan | None:
    """The bin plan of a numeric or temporal column, or None when it has no values."""
    if spec.logical == "float":
        return _float_plan(scan)
    if spec.logical in {"integer", "date", "datetime"}:
        return _ordinal_plan(spec.logical, scan)
    return None


def _float_plan(scan: ColumnScan) -> BinPlan | None:
    low, high = scan.minimum, scan.maximum
    if scan.finite_count == 0 or low is None or high is None:
        return None
    low, high = float(str(low)), float(str(high))
    if low == high:
        return BinPlan("float", low, 0.0, 0, [low, high])
    step = (high - low) / MAX_BINS
    edges: list[object] = [low + step * index for index in range(MAX_BINS)]
    edges.append(high)
    return BinPlan("float", low, high - low, 0, edges)


def _ordinal_plan(logical: str, scan: ColumnScan) -> BinPlan | None:
    low, high = scan.ordinal_min, scan.ordinal_max
    if low is None or high is None:
        return None
    width = math.ceil((high - low + 1) / MAX_BINS)
    bins = math.ceil((high - low + 1) / width)
    edges = [ordinal_value(logical, low + width * index) for index in range(bins + 1)]
    return BinPlan(logical, low, 0.0, width, edges)


def python_ordinal(value: object) -> int | None:
    """The integer axis position of a Python value (days for dates, µs for datetimes)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        epoch = EPOCH_DATETIME_UTC if value.tzinfo is not None else EPOCH_DATETIME
        return (value - epoch) // MICROSECOND
    if isinstance(value, date):
        return (value - EPOCH_DATE).days
    return None


def ordinal_value(logical: str, ordinal: int) -> object:
    """The JSON-ready value at an ordinal: ISO date/datetime text, or the integer itself."""
    if logical == "date":
        return (EPOCH_DATE + timedelta(days=ordinal)).isoformat()
    if logical == "datetime":
        return (EPOCH_DATETIME + timedelta(microseconds=ordinal)).isoformat()
    return ordinal
