"""Helpers shared by the analysis task families: parameter pieces and the run wrapper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import polars as pl
from pydantic import Field

from chatdata.analysis.result import AnalysisResult
from chatdata.tasks.context import TaskContext
from chatdata.tasks.registry import TaskResult

# `x-column` marks, in the parameters' JSON schema, the strings that name a dataset column
# (the web UI offers the dataset's columns for them).
ColumnName = Annotated[
    str, Field(min_length=1, max_length=255, json_schema_extra={"x-column": True})
]
Alpha = Annotated[float, Field(gt=0, lt=0.5, description="Significance level.")]
Seed = Annotated[int, Field(ge=0, le=2**32 - 1, description="Random seed (samples, splits).")]
MaxRows = Annotated[
    int, Field(ge=100, le=5_000_000, description="Rows used at most (a seeded sample above).")
]
Alternative = Literal["two-sided", "less", "greater"]
MissingPolicy = Literal["drop", "impute"]


def run_analysis(
    ctx: TaskContext, what: str, compute: Callable[[pl.LazyFrame], AnalysisResult]
) -> TaskResult:
    """Scan the dataset lazily, run one analysis function, and shape the task result.

    The result is the analysis result's dict plus `dataset_version` (the version read)."""
    ctx.progress(5, f"Reading the dataset for {what}")
    ctx.check_cancelled()
    frame = ctx.scan()
    ctx.progress(15, f"Computing {what}")
    result = compute(frame)
    ctx.check_cancelled()
    ctx.progress(95, "Saving the result")
    return with_version(ctx, result.to_dict())


def with_version(ctx: TaskContext, result: dict[str, Any]) -> TaskResult:
    """Add the dataset version the task read to its result."""
    version = ctx.version
    return {**result, "dataset_version": version.number if version is not None else None}


def columns_of(*groups: str | list[str] | None) -> list[str]:
    """Flatten optional column names and lists into one list (for `referenced_columns`)."""
    names: list[str] = []
    for group in groups:
        if isinstance(group, str):
            names.append(group)
        elif group:
            names.extend(group)
    return names
