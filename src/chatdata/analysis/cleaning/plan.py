"""Types shared by the cleaning step planners: the planning context and a planned step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from chatdata.analysis.cleaning.specs import CleaningStep
from chatdata.analysis.frames import require_columns, require_numeric
from chatdata.errors import BadRequest


@dataclass(frozen=True)
class PlanContext:
    """What a planner may use besides the frame: joinable tables, seed, sample size."""

    tables: Mapping[str, pl.LazyFrame] = field(default_factory=dict)
    seed: int = 0
    sample_rows: int = 200_000


@dataclass
class StepOutcome:
    """A planned step: the lazy frame after it and the lazy queries that count its effect.

    `count_query` is a one-row LazyFrame of integer counts (e.g. `filled`, `failed`) computed
    on the frame before the step; `examples` a small frame of sample values (failed parses).
    `details` holds numbers fixed while planning (fill value, outlier bounds).
    """

    after: pl.LazyFrame
    description: str
    count_query: pl.LazyFrame | None = None
    details: dict[str, Any] = field(default_factory=dict)
    examples: pl.LazyFrame | None = None
    sample_note: str | None = None


def step_label(index: int, step: CleaningStep) -> str:
    """Name a step in messages: 'step 2 (fill_missing)'."""
    return f"step {index} ({step.op})"


def step_error(index: int, step: CleaningStep, message: str, **details: Any) -> BadRequest:
    """A BadRequest whose message and details name the failing step."""
    return BadRequest(
        f"{step_label(index, step)}: {message}",
        details={"step": index, "op": step.op, **details},
    )


def check_columns(
    schema: pl.Schema, columns: list[str], index: int, step: CleaningStep, *, numeric: bool = False
) -> None:
    """Raise BadRequest naming the step when a column is missing (or not numeric if asked)."""
    where = step_label(index, step)
    if numeric:
        require_numeric(schema, columns, where=where)
    else:
        require_columns(schema, columns, where=where)


def collect_streaming(lf: pl.LazyFrame) -> pl.DataFrame:
    """Collect with the streaming engine so aggregates over big files stay in bounded memory."""
    return lf.collect(engine="streaming")
