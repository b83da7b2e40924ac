"""Deduplication step: exact duplicate rows, or duplicates on key columns, keeping first or last."""

from __future__ import annotations

import polars as pl

from chatdata.analysis.cleaning.plan import StepOutcome, check_columns
from chatdata.analysis.cleaning.specs import Deduplicate


def plan_deduplicate(lf: pl.LazyFrame, index: int, step: Deduplicate) -> StepOutcome:
    """Keep the first (or last) row of each group of rows equal on `columns` (all if omitted)."""
    if step.columns is not None:
        check_columns(lf.collect_schema(), step.columns, index, step)
    after = lf.unique(subset=step.columns, keep=step.keep, maintain_order=True)
    scope = "all columns" if step.columns is None else ", ".join(step.columns)
    return StepOutcome(
        after,
        f"remove duplicate rows on {scope}, keeping the {step.keep}",
        details={"columns": step.columns, "keep": step.keep},
    )
