"""Column type vocabulary of the profile: logical types, in-memory widths, JSON values."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import polars as pl

NARROW_WIDTH_BITS: dict[type[pl.DataType], int] = {
    pl.Int8: 8, pl.UInt8: 8, pl.Int16: 16, pl.UInt16: 16, pl.Int32: 32, pl.UInt32: 32,
    pl.Float32: 32, pl.Date: 32, pl.Int128: 128,
}  # fmt: skip
NUMERIC_TYPES = frozenset({"integer", "float"})
TEMPORAL_TYPES = frozenset({"date", "datetime"})
BINNED_TYPES = NUMERIC_TYPES | TEMPORAL_TYPES
ORDERED_TYPES = BINNED_TYPES | {"time"}
COUNTABLE_TYPES = ORDERED_TYPES | {"boolean", "string", "duration"}


def logical_type(dtype: pl.DataType) -> str:
    """Map a Polars dtype to the profile's logical type name."""
    if dtype.is_integer():
        return "integer"
    if dtype.is_float() or isinstance(dtype, pl.Decimal):
        return "float"
    if isinstance(dtype, pl.Boolean):
        return "boolean"
    if isinstance(dtype, pl.String | pl.Categorical | pl.Enum):
        return "string"
    if isinstance(dtype, pl.Date):
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if isinstance(dtype, pl.Time):
        return "time"
    if isinstance(dtype, pl.Duration):
        return "duration"
    return "other"


def fixed_width_bytes(dtype: pl.DataType) -> float | None:
    """Bytes per value of a fixed-width dtype in memory (None for variable width)."""
    if isinstance(dtype, pl.Boolean):
        return 1 / 8
    if isinstance(dtype, pl.Decimal):
        return 16
    if dtype.is_numeric() or dtype.is_temporal():
        return NARROW_WIDTH_BITS.get(dtype.base_type(), 64) / 8
    return None


def json_value(value: object) -> object:
    """A JSON-ready form of a scalar: ISO text for temporals, None for NaN/inf."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)
