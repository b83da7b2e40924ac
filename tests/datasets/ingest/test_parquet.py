"""Parquet input is read in full (validation) and rewritten with usable names."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from tests.datasets.ingest.conftest import IngestFailure, IngestRun


def _parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_parquet_passthrough_keeps_types_and_values(ingest: IngestRun) -> None:
    frame = pl.DataFrame(
        {
            "id": [1, 2, 3],
            "day": [dt.date(2024, 1, 1), None, dt.date(2024, 1, 3)],
            "price": [1.5, 2.5, None],
            "tags": [["a"], [], ["b", "c"]],
        }
    )
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    done = ingest(buffer.getvalue(), name="x.parquet")
    assert done.result.source_format == "parquet"
    assert done.result.rows == 3
    assert done.result.warnings == []
    assert done.frame.equals(frame)


def test_duplicate_and_empty_names_are_fixed(ingest: IngestRun) -> None:
    table = pa.table(
        [pa.array([1, 2]), pa.array(["x", "y"]), pa.array([3.0, 4.0])], names=["a", "a", ""]
    )
    done = ingest(_parquet(table))
    assert done.result.columns == ["a", "a_2", "column_3"]
    assert done.frame.rows() == [(1, "x", 3.0), (2, "y", 4.0)]


def test_damaged_parquet(ingest_error: IngestFailure) -> None:
    data = _parquet(pa.table({"a": list(range(1000))}))
    error = ingest_error(data[:4] + b"\x00" * 64 + data[68:])
    assert error.message.startswith("The Parquet file is damaged")


def test_parquet_without_rows(ingest_error: IngestFailure) -> None:
    data = _parquet(pa.table({"a": pa.array([], pa.int64())}))
    assert ingest_error(data).message == "The Parquet file has no rows."
