"""Turn a table into a model's design matrix: checked columns, missing policy, sample, one-hot.

Missing values policy (`missing`):
- "drop" (default): rows with a missing target or feature are left out;
- "impute": rows with a missing target are left out; a missing number is replaced by the
  column's median (on the fitted rows) and a missing category becomes its own level "(missing)".
Categorical features (text, categorical, boolean) are one-hot encoded with their
`max_levels` most frequent levels ("(other)" for the rest); `drop_first` leaves out the first
level (needed next to an intercept). Above `max_rows` rows the model is fitted on a seeded
random sample and `sample_note` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

from chatdata.analysis.formatting import fmt_int
from chatdata.analysis.frames import collect_sample, count_rows, require_columns, schema_of, to_lazy
from chatdata.errors import BadRequest

MissingPolicy = Literal["drop", "impute"]
MISSING_LEVEL = "(missing)"
OTHER_LEVEL = "(other)"


@dataclass
class Design:
    """A numeric feature matrix with named columns, the target, and how they were obtained."""

    x: np.ndarray
    names: list[str]
    sources: list[str]
    target: pl.Series | None
    rows_total: int
    rows_used: int
    policy_note: str
    sample_note: str | None
    categorical: list[str]


def _is_categorical(dtype: pl.DataType) -> bool:
    return dtype in (pl.String, pl.Categorical, pl.Boolean) or isinstance(dtype, pl.Enum)


def _check_features(schema: pl.Schema, target: str | None, features: list[str]) -> list[str]:
    if not features:
        raise BadRequest("at least one feature column is required")
    require_columns(schema, features + ([target] if target else []))
    if target is not None and target in features:
        raise BadRequest(f"the target {target!r} cannot also be a feature")
    unusable = [f for f in features if not (schema[f].is_numeric() or _is_categorical(schema[f]))]
    if unusable:
        raise BadRequest(
            f"feature(s) {', '.join(map(repr, unusable))} are neither numeric nor categorical; "
            "convert dates to numbers first",
        )
    return [f for f in features if _is_categorical(schema[f])]


def _encode(
    frame: pl.DataFrame, name: str, max_levels: int, drop_first: bool
) -> tuple[np.ndarray, list[str]]:
    values = frame.get_column(name).cast(pl.String).fill_null(MISSING_LEVEL)
    counts = values.value_counts(sort=True)
    top = sorted(counts.get_column(name).head(max_levels).to_list())
    if counts.height > max_levels:
        kept = pl.when(values.is_in(top)).then(values).otherwise(pl.lit(OTHER_LEVEL))
        values = pl.select(kept.alias(name)).to_series()
        top = [*top, OTHER_LEVEL]
    levels = top[1:] if drop_first else top
    matrix = (
        np.column_stack([(values == level).to_numpy().astype(float) for level in levels])
        if levels
        else np.empty((frame.height, 0))
    )
    return matrix, [f"{name}={level}" for level in levels]


def _numeric(frame: pl.DataFrame, name: str, impute: bool) -> np.ndarray:
    column = frame.get_column(name).cast(pl.Float64)
    if impute and column.null_count():
        median = column.median()
        column = column.fill_null(median if median is not None else 0.0)
    return column.to_numpy()


def _policy_note(missing: MissingPolicy, has_target: bool, dropped: int, total: int) -> str:
    counted = f"({fmt_int(dropped)} of {fmt_int(total)})"
    if missing == "drop":
        return f"rows with a missing target or feature were dropped {counted}"
    note = f"missing numbers imputed with the median, missing categories as '{MISSING_LEVEL}'"
    return note + (f"; rows with a missing target dropped {counted}" if has_target else "")


def prepare_design(
    frame: object,
    target: str | None,
    features: list[str],
    *,
    max_rows: int = 200_000,
    seed: int = 0,
    missing: MissingPolicy = "drop",
    drop_first: bool = True,
    max_levels: int = 50,
) -> Design:
    """Select, clean, sample and encode the data for a model (see the module docstring)."""
    lf = to_lazy(frame)
    categorical = _check_features(schema_of(lf), target, features)
    columns = ([target] if target else []) + features
    selected = lf.select(columns)
    total = count_rows(selected)
    required = columns if missing == "drop" else ([target] if target else [])
    usable = selected.drop_nulls(required) if required else selected
    sample = collect_sample(usable, max_rows, seed, verb="fitted")
    frame_used = sample.frame
    if frame_used.height < 3:
        raise BadRequest(f"only {frame_used.height} usable rows after handling missing values")
    blocks, names, sources = [], [], []
    for name in features:
        if name in categorical:
            block, block_names = _encode(frame_used, name, max_levels, drop_first)
        else:
            block, block_names = _numeric(frame_used, name, missing == "impute")[:, None], [name]
        blocks.append(block)
        names += block_names
        sources += [name] * len(block_names)
    policy = _policy_note(missing, target is not None, total - sample.total_rows, total)
    return Design(
        x=np.hstack(blocks).astype(float),
        names=names,
        sources=sources,
        target=frame_used.get_column(target) if target else None,
        rows_total=total,
        rows_used=frame_used.height,
        policy_note=policy,
        sample_note=sample.note,
        categorical=categorical,
    )
