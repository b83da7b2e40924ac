"""The exported notebook's setup cell builds the same `df` as the kernel, sample included."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from chatdata.chat.notebook import setup_code
from chatdata.sandbox.kernel_ext.chatdata_kernel_ext import _load_frame


@pytest.mark.parametrize("rows", [200, 5000])
def test_setup_cell_matches_the_kernel(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "data.parquet"
    pl.DataFrame({"a": np.arange(rows), "b": np.arange(rows) % 7}).write_parquet(path)
    namespace: dict[str, object] = {}
    exec(setup_code(300).replace("/data/data.parquet", str(path)), namespace)
    with duckdb.connect() as con:
        kernel_df, is_sample, _ = _load_frame(con, str(path), pl.scan_parquet(path), 300, 0)
    assert is_sample is (rows > 300)
    exported = namespace["df"]
    assert exported.equals(kernel_df)  # type: ignore[attr-defined]
    assert namespace["con"].execute("SELECT count(*) FROM data").fetchone()[0] == rows  # type: ignore[attr-defined]
