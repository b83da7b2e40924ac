"""Seeded samples of numeric values per group, for tests that need the raw values (ranks)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from chatdata.analysis.frames import collect_sample, require_columns, require_numeric, schema_of
from chatdata.errors import BadRequest


@dataclass(frozen=True)
class GroupValues:
    """Values per group label (numpy float arrays) and a note when they are a sample."""

    values: dict[str, np.ndarray]
    note: str | None


def values_by_group(
    lf: pl.LazyFrame, value: str, group: str, labels: list[str], max_rows: int, seed: int
) -> GroupValues:
    """Non-missing values of `value` for each label of `group`, sampled above `max_rows` rows."""
    schema = schema_of(lf)
    require_numeric(schema, [value])
    require_columns(schema, [group])
    rows = lf.select(
        pl.col(group).cast(pl.String).alias("g"), pl.col(value).cast(pl.Float64).alias("v")
    ).filter(pl.col("g").is_in(labels) & pl.col("v").is_not_null() & pl.col("v").is_not_nan())
    sample = collect_sample(rows, max_rows, seed)
    values = {
        label: sample.frame.filter(pl.col("g") == label).get_column("v").to_numpy()
        for label in labels
    }
    empty = [label for label, array in values.items() if array.size == 0]
    if empty:
        raise BadRequest(f"no values of {value!r} for group(s) {', '.join(map(repr, empty))}")
    return GroupValues(values, sample.note)


def column_values(
    lf: pl.LazyFrame, column: str, max_rows: int, seed: int
) -> tuple[np.ndarray, str | None]:
    """Non-missing values of a numeric column (a seeded sample above `max_rows`)."""
    require_numeric(schema_of(lf), [column])
    values = lf.select(pl.col(column).cast(pl.Float64)).drop_nulls().drop_nans()
    sample = collect_sample(values, max_rows, seed)
    return sample.frame.to_series().to_numpy(), sample.note
