"""`sink_parquet_file`: a query streamed into a new Parquet file, replacing any old one."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from chatdata.parquet import PARQUET_COMPRESSION, sink_parquet_file


def test_the_query_lands_whole_in_a_new_file(tmp_path: Path) -> None:
    out = tmp_path / "data.parquet"
    query = pl.LazyFrame({"n": range(100_000)}).with_columns(twice=pl.col("n") * 2)
    sink_parquet_file(query, out)
    written = pl.read_parquet(out)
    assert written.height == 100_000
    assert written["twice"].sum() == 2 * sum(range(100_000))
    column = pq.read_metadata(out).row_group(0).column(0)
    assert column.compression.lower() == PARQUET_COMPRESSION


def test_a_file_already_there_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "data.parquet"
    out.write_bytes(b"x" * 1_000_000)  # e.g. left by an earlier, interrupted run
    sink_parquet_file(pl.LazyFrame({"a": [1, 2, 3]}), out)
    assert pl.read_parquet(out)["a"].to_list() == [1, 2, 3]
