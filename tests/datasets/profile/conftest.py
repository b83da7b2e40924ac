"""Fixtures for profile tests: small Parquet files written in the test's tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from chatdata.datasets.profile import profile_parquet
from chatdata.datasets.profile_models import DatasetProfile
from tests.datasets.profile.helpers import WriteParquet


@pytest.fixture
def write_parquet(tmp_path: Path) -> WriteParquet:
    """Write a DataFrame as Parquet (small row groups, like a streamed ingest) and return it."""
    counter = iter(range(1_000_000))

    def write(frame: pl.DataFrame) -> Path:
        path = tmp_path / f"data-{next(counter)}.parquet"
        frame.write_parquet(path, row_group_size=1000)
        return path

    return write


@pytest.fixture
def profile_frame(write_parquet: WriteParquet) -> Callable[..., DatasetProfile]:
    """Write a DataFrame to Parquet and profile it."""

    def run(frame: pl.DataFrame, **options: object) -> DatasetProfile:
        return profile_parquet(write_parquet(frame), **options)  # type: ignore[arg-type]

    return run
