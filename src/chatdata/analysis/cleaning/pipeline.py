"""The cleaning pipeline: validate steps, plan them lazily, count their effect, write Parquet.

`apply_pipeline` turns a list of step dicts into one lazy Polars query (nothing is loaded;
only aggregates a step needs, such as a median or outlier bounds, are computed by streaming
passes). `run_cleaning_pipeline` streams the result from one Parquet file to another with
`sink_parquet` and reports rows before/after and per-step counts; `clean_frame` does the
same for a small in-memory frame.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from chatdata.analysis import charts
from chatdata.analysis.cleaning.convert import plan_convert
from chatdata.analysis.cleaning.dedupe import plan_deduplicate
from chatdata.analysis.cleaning.join import plan_join
from chatdata.analysis.cleaning.missing import (
    plan_drop_columns,
    plan_drop_missing,
    plan_fill_missing,
)
from chatdata.analysis.cleaning.outliers import plan_outliers
from chatdata.analysis.cleaning.plan import PlanContext, StepOutcome
from chatdata.analysis.cleaning.specs import (
    CleaningStep,
    Convert,
    Deduplicate,
    DropColumns,
    DropMissing,
    FillMissing,
    Join,
    NormalizeStrings,
    Outliers,
    parse_steps,
)
from chatdata.analysis.cleaning.strings import plan_normalize_strings
from chatdata.analysis.formatting import fmt_int
from chatdata.analysis.frames import to_lazy
from chatdata.analysis.result import AnalysisResult, json_safe, make_table
from chatdata.parquet import sink_parquet_file


@dataclass
class StepReport:
    """What one step did: its spec, a description, fixed details and (once measured) counts."""

    index: int
    op: str
    spec: dict[str, Any]
    description: str
    details: dict[str, Any] = field(default_factory=dict)
    sample_note: str | None = None
    rows_before: int | None = None
    rows_after: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    examples: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-safe dict."""
        return json_safe(self.__dict__)  # type: ignore[no-any-return]


@dataclass
class _Planned:
    index: int
    step: CleaningStep
    before: pl.LazyFrame
    outcome: StepOutcome


def _plan_step(lf: pl.LazyFrame, index: int, step: CleaningStep, ctx: PlanContext) -> StepOutcome:
    if isinstance(step, DropMissing):
        return plan_drop_missing(lf, index, step)
    if isinstance(step, DropColumns):
        return plan_drop_columns(lf, index, step)
    if isinstance(step, FillMissing):
        return plan_fill_missing(lf, index, step)
    if isinstance(step, Outliers):
        return plan_outliers(lf, index, step, ctx)
    if isinstance(step, Convert):
        return plan_convert(lf, index, step)
    if isinstance(step, Deduplicate):
        return plan_deduplicate(lf, index, step)
    if isinstance(step, NormalizeStrings):
        return plan_normalize_strings(lf, index, step)
    if isinstance(step, Join):
        return plan_join(lf, index, step, ctx)
    raise AssertionError(f"unplanned op {step.op}")  # pragma: no cover - parse_steps guards


def _plan(
    lf: pl.LazyFrame, raw_steps: Any, ctx: PlanContext
) -> tuple[pl.LazyFrame, list[_Planned]]:
    planned: list[_Planned] = []
    current = lf
    for index, step in enumerate(parse_steps(raw_steps), start=1):
        outcome = _plan_step(current, index, step, ctx)
        planned.append(_Planned(index, step, current, outcome))
        current = outcome.after
    return current, planned


def _report(item: _Planned) -> StepReport:
    outcome = item.outcome
    return StepReport(
        index=item.index,
        op=item.step.op,
        spec=item.step.model_dump(exclude_none=True),
        description=outcome.description,
        details=outcome.details,
        sample_note=outcome.sample_note,
    )


def apply_pipeline(
    lf: pl.LazyFrame,
    steps: Any,
    *,
    tables: Mapping[str, pl.LazyFrame] | None = None,
    seed: int = 0,
    sample_rows: int = 200_000,
) -> tuple[pl.LazyFrame, list[StepReport]]:
    """Validate `steps` and return the cleaned LazyFrame and one (unmeasured) report per step.

    Raises ValidationFailed for a malformed step and BadRequest for a step that does not fit
    the data (unknown column, mean of text); both name the step. `tables` maps names a join
    step may use to LazyFrames; `seed`/`sample_rows` govern Isolation Forest's fitting sample.
    """
    ctx = PlanContext(tables=dict(tables or {}), seed=seed, sample_rows=sample_rows)
    final, planned = _plan(lf, steps, ctx)
    return final, [_report(item) for item in planned]


def _measure(planned: list[_Planned], final_rows: int) -> list[StepReport]:
    """Run the per-step counting queries (streaming) and fill each report's numbers."""
    queries: list[pl.LazyFrame] = []
    for item in planned:
        queries.append(item.before.select(pl.len().alias("rows")))
        queries.append(
            item.outcome.count_query if item.outcome.count_query is not None else pl.LazyFrame()
        )
        queries.append(
            item.outcome.examples if item.outcome.examples is not None else pl.LazyFrame()
        )
    results = pl.collect_all(queries, engine="streaming")
    reports = []
    for position, item in enumerate(planned):
        rows_frame, count_frame, example_frame = results[3 * position : 3 * position + 3]
        report = _report(item)
        report.rows_before = int(rows_frame.item())
        report.counts = (
            {k: int(v or 0) for k, v in count_frame.row(0, named=True).items()}
            if count_frame.width
            else {}
        )
        report.examples = example_frame.to_series().to_list() if example_frame.width else []
        reports.append(report)
    for report, following in zip(reports, [*reports[1:], None], strict=True):
        report.rows_after = following.rows_before if following is not None else final_rows
    return reports


def _pipeline_result(
    reports: list[StepReport], rows_before: int, rows_after: int, columns: list[str]
) -> AnalysisResult:
    removed = rows_before - rows_after
    summary = (
        f"Applied {len(reports)} cleaning step(s): {fmt_int(rows_before)} rows before, "
        f"{fmt_int(rows_after)} after ({fmt_int(removed)} removed)."
    )
    changed = [
        sum(r.counts.get(k, 0) for k in r.counts if not k.startswith("matched")) for r in reports
    ]
    removed_per_step = [(r.rows_before or 0) - (r.rows_after or 0) for r in reports]
    labels = [f"{r.index}. {r.op}" for r in reports]
    rows = [
        [r.index, r.op, r.description, r.rows_before, r.rows_after, c, r.counts]
        for r, c in zip(reports, changed, strict=True)
    ]
    table = make_table(
        "Cleaning steps",
        ["step", "op", "description", "rows_before", "rows_after", "values_changed", "counts"],
        rows,
    )
    notes = [f"step {r.index}: {r.sample_note}" for r in reports if r.sample_note]
    return AnalysisResult(
        kind="cleaning_pipeline",
        summary=summary,
        data={
            "rows_before": rows_before,
            "rows_after": rows_after,
            "rows_removed": removed,
            "columns_after": columns,
            "steps": [r.to_dict() for r in reports],
            "lineage": [r.spec for r in reports],
        },
        tables=[table],
        figures=[charts.bar(labels, removed_per_step, "Rows removed per step", "step", "rows")],
        sample_note="; ".join(notes) or None,
    )


def clean_frame(
    frame: object,
    steps: Any,
    *,
    tables: Mapping[str, object] | None = None,
    seed: int = 0,
    sample_rows: int = 200_000,
) -> tuple[pl.DataFrame, AnalysisResult]:
    """Apply `steps` to an in-memory frame; return the cleaned frame and the measured result."""
    lazy_tables = {name: to_lazy(table) for name, table in (tables or {}).items()}
    ctx = PlanContext(tables=lazy_tables, seed=seed, sample_rows=sample_rows)
    final, planned = _plan(to_lazy(frame), steps, ctx)
    cleaned = final.collect()
    reports = _measure(planned, cleaned.height)
    rows_before = reports[0].rows_before or 0
    return cleaned, _pipeline_result(reports, rows_before, cleaned.height, cleaned.columns)


def run_cleaning_pipeline(
    src_parquet: Path,
    dst_parquet: Path,
    steps: Any,
    *,
    tables: Mapping[str, pl.LazyFrame] | None = None,
    seed: int = 0,
    sample_rows: int = 200_000,
) -> dict[str, Any]:
    """Stream `src_parquet` through the steps into `dst_parquet`; return the result dict.

    The output is written to a temporary name and renamed into place, so `dst_parquet`
    is either absent or complete. The data is never loaded whole into memory.
    """
    ctx = PlanContext(tables=dict(tables or {}), seed=seed, sample_rows=sample_rows)
    final, planned = _plan(pl.scan_parquet(src_parquet), steps, ctx)
    partial = dst_parquet.with_name(dst_parquet.name + ".partial")
    try:
        sink_parquet_file(final, partial)
        os.replace(partial, dst_parquet)
    finally:
        partial.unlink(missing_ok=True)
    written = pl.scan_parquet(dst_parquet)
    rows_after = int(written.select(pl.len()).collect().item())
    reports = _measure(planned, rows_after)
    result = _pipeline_result(
        reports, reports[0].rows_before or 0, rows_after, written.collect_schema().names()
    )
    return result.to_dict()
