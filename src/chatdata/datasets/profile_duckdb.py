"""DuckDB plumbing for profiling: a bounded connection, SQL quoting, column specs."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from chatdata.datasets.profile_types import logical_type

FLOAT_DUCK_TYPES = frozenset({"FLOAT", "DOUBLE", "REAL"})
PLAIN_FETCH_TYPES = {"TIME_NS": "TIME", "TIMESTAMP_NS": "TIMESTAMP"}
SIZE_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(I?B)?\s*$", re.IGNORECASE)
SIZE_UNITS = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4}
DEFAULT_MEMORY_BYTES = 512 * 1000**2


@dataclass(frozen=True)
class ColumnSpec:
    """One column as both engines see it, with its SQL expressions."""

    name: str
    position: int
    dtype: pl.DataType
    logical: str
    duck_type: str
    filter_non_finite: bool = True

    @property
    def is_float(self) -> bool:
        """True for DuckDB FLOAT/DOUBLE columns (which may hold NaN and infinities)."""
        return self.duck_type in FLOAT_DUCK_TYPES

    @property
    def ident(self) -> str:
        """The quoted column identifier."""
        return quote_ident(self.name)

    @property
    def fetch_sql(self) -> str:
        """The column as values Python receives plainly: time-zone-aware timestamps become
        naive UTC (DuckDB would need `pytz` to hand them over with their zone) and
        nanosecond types become microsecond ones (Python's resolution)."""
        if self.duck_type.endswith("WITH TIME ZONE"):
            return f"timezone('UTC', {self.ident})"
        if self.duck_type in PLAIN_FETCH_TYPES:
            return f"{self.ident}::{PLAIN_FETCH_TYPES[self.duck_type]}"
        return self.ident

    @property
    def fetch_type(self) -> str:
        """The DuckDB type of `fetch_sql`."""
        if self.duck_type.endswith("WITH TIME ZONE"):
            return "TIMESTAMP"
        return PLAIN_FETCH_TYPES.get(self.duck_type, self.duck_type)

    @property
    def value_sql(self) -> str:
        """The column's usable numeric value (NaN and infinities become NULL for floats,
        unless the column is known to hold none)."""
        if self.is_float and self.filter_non_finite:
            return f"CASE WHEN isfinite({self.ident}) THEN {self.ident} END"
        return self.ident

    @property
    def ordinal_sql(self) -> str:
        """An integer position of the value on its axis (days for dates, µs for datetimes)."""
        if self.logical == "date":
            return f"({self.ident} - DATE '1970-01-01')"
        if self.logical == "datetime":
            return f"epoch_us({self.ident})"
        if self.duck_type in {"UBIGINT", "HUGEINT", "UHUGEINT"}:
            return f"{self.ident}::HUGEINT"
        return f"{self.ident}::BIGINT"


def quote_ident(name: str) -> str:
    """A SQL identifier for any column name."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def double_literal(number: float) -> str:
    """A DOUBLE literal that round-trips exactly (parsed from its shortest repr)."""
    return f"CAST('{number!r}' AS DOUBLE)"


def parquet_source(path: Path) -> str:
    """The FROM-clause source reading the Parquet file."""
    return f"read_parquet({quote_literal(str(path))})"


def memory_limit_bytes(memory_limit: str) -> int:
    """Bytes in a DuckDB-style size such as `512MB` or `1GiB` (default 512 MB if unparsable)."""
    match = SIZE_PATTERN.match(memory_limit)
    if match is None:
        return DEFAULT_MEMORY_BYTES
    number, unit, suffix = float(match[1]), match[2].upper(), (match[3] or "").upper()
    base = 1024 if suffix == "IB" else 1000
    return int(number * base ** list(SIZE_UNITS).index(unit))


@contextmanager
def profile_connection(memory_limit: str, threads: int) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB bounded in memory and threads, spilling to a private temp dir."""
    spill_dir = tempfile.mkdtemp(prefix="chatdata-profile-")
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit,
        "threads": threads,
        "temp_directory": spill_dir,
        "preserve_insertion_order": False,
    }
    connection = duckdb.connect(":memory:", config=config)
    try:
        yield connection
    finally:
        connection.close()
        shutil.rmtree(spill_dir, ignore_errors=True)


def fetch_row(
    connection: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> tuple[Any, ...]:
    """The single row of an aggregate query."""
    rows = (
        connection.sql(sql, params=params).fetchall() if params else connection.sql(sql).fetchall()
    )
    return rows[0]


def column_specs(
    connection: duckdb.DuckDBPyConnection, path: Path, schema: pl.Schema
) -> list[ColumnSpec]:
    """Columns in file order with their Polars dtype, logical type and DuckDB type."""
    describe = f"DESCRIBE SELECT * FROM {parquet_source(path)}"  # noqa: S608 (quoted literal)
    described = connection.sql(describe).fetchall()
    duck_types = {str(row[0]): str(row[1]) for row in described}
    return [
        ColumnSpec(name, position, dtype, logical_type(dtype), duck_types.get(name, ""))
        for position, (name, dtype) in enumerate(schema.items())
    ]
