"""Building blocks of the profile: the spread sample, sizes, failures."""

from __future__ import annotations

import json
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from chatdata.datasets.profile import ProfileFailed, profile_parquet
from chatdata.datasets.profile_duckdb import memory_limit_bytes
from chatdata.datasets.profile_sample import read_spread_sample
from tests.datasets.profile.helpers import WriteParquet, column


def test_spread_sample_takes_rows_from_across_the_file(write_parquet: WriteParquet) -> None:
    path = write_parquet(pl.DataFrame({"n": range(50_000)}))  # 50 row groups of 1000
    sample = read_spread_sample(path, 640)
    starts = sorted({value // 1000 for value in sample.get_column("n").to_list()})
    assert sample.height == 32 * 20
    assert starts[0] == 0 and starts[-1] == 49 and len(starts) == 32
    assert read_spread_sample(path, 100_000).height == 50_000


@pytest.mark.parametrize(
    ("text", "size"),
    [("512MB", 512_000_000), ("1GiB", 1024**3), ("2 GB", 2_000_000_000), ("bogus", 512_000_000)],
)
def test_memory_limit_parsing(text: str, size: int) -> None:
    assert memory_limit_bytes(text) == size


def test_a_file_that_is_not_parquet_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ProfileFailed) as failure:
        profile_parquet(path)
    assert failure.value.code == "profile_failed" and failure.value.status_code == 422


def test_awkward_column_names(write_parquet: WriteParquet) -> None:
    frame = pl.DataFrame(
        {'we"ird col': [1, 2, 2], "姓名": ["张伟", "李娜", "王芳"], "a'b": [1.5, 2.5, 3.5]}
    )
    profile = profile_parquet(write_parquet(frame))
    assert column(profile, 'we"ird col').top_values[0] == {"value": 2, "count": 2}
    names = column(profile, "姓名")
    assert names.pii is not None and names.pii.kind == "person_name"
    assert names.sample_values == ["张***", "李***", "王***"]
    assert column(profile, "a'b").mean == 2.5


def test_nested_binary_decimal_time_and_zoned_columns(write_parquet: WriteParquet) -> None:
    moments = pl.Series([datetime(2024, 1, 1, 10), None, datetime(2024, 1, 3, 10)])
    frame = pl.DataFrame(
        {
            "tags": [[1, 2], None, [3]],
            "blob": [b"x", None, b"x"],
            "price": pl.Series([Decimal("1.50"), None, Decimal("3.00")], dtype=pl.Decimal(10, 2)),
            "opens": [time(9, 30), None, time(9, 30)],
            "paris": moments.dt.replace_time_zone("Europe/Paris"),
            "nanos": moments.dt.cast_time_unit("ns"),
        }
    )
    for limit in (10_000_000, 1):
        profile = profile_parquet(write_parquet(frame), exact_row_limit=limit)
        json.dumps(profile.to_dict())
        tags = column(profile, "tags")
        assert (tags.logical_type, tags.null_count, tags.distinct_count) == ("other", 1, None)
        assert column(profile, "blob").top_values == []
        price = column(profile, "price")
        assert (price.logical_type, price.mean, price.min, price.max) == ("float", 2.25, 1.5, 3.0)
        assert column(profile, "opens").top_values == [{"value": "09:30:00", "count": 2}]
        paris = column(profile, "paris")  # reported as naive UTC
        assert (paris.min, paris.max) == ("2024-01-01T09:00:00", "2024-01-03T09:00:00")
        assert paris.sample_values == ["2024-01-01T09:00:00", "2024-01-03T09:00:00"]
        nanos = column(profile, "nanos")
        assert nanos.top_values[0] == {"value": "2024-01-01T10:00:00", "count": 1}
