"""Joining two tables: the join step, a counted join, and join key suggestions.

`suggest_join_keys` ranks column pairs by name similarity and by how many of the left
column's distinct values appear in the right column (computed on seeded samples).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any, Literal

import polars as pl

from chatdata.analysis.cleaning.plan import PlanContext, StepOutcome, check_columns, step_error
from chatdata.analysis.cleaning.specs import Join
from chatdata.analysis.formatting import fmt_int, fmt_pct
from chatdata.analysis.frames import collect_sample, require_columns, to_lazy
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.errors import BadRequest

JOIN_ORDER: dict[str, Literal["left", "right", "left_right"]] = {
    "inner": "left",
    "left": "left",
    "semi": "left",
    "anti": "left",
    "right": "right",
    "full": "left_right",
}


def _check_key_types(left: pl.Schema, right: pl.Schema, pairs: list[tuple[str, str]]) -> list[str]:
    return [
        f"{lk} ({left[lk]}) vs {rk} ({right[rk]})"
        for lk, rk in pairs
        if left[lk] != right[rk] and not (left[lk].is_numeric() and right[rk].is_numeric())
    ]


def _match_counts(
    left: pl.LazyFrame, right: pl.LazyFrame, left_on: list[str], right_on: list[str]
) -> pl.LazyFrame:
    keys = right.select(right_on).unique()
    matched = left.join(keys, left_on=left_on, right_on=right_on, how="semi").select(
        pl.len().alias("matched_left_rows")
    )
    totals = left.select(pl.len().alias("left_rows"))
    right_rows = right.select(pl.len().alias("right_rows"))
    return pl.concat([totals, matched, right_rows], how="horizontal")


def plan_join(lf: pl.LazyFrame, index: int, step: Join, ctx: PlanContext) -> StepOutcome:
    """Plan a join with the named table; counts left rows that found a match."""
    if step.right not in ctx.tables:
        available = ", ".join(ctx.tables) or "none"
        raise step_error(index, step, f"unknown table {step.right!r}; available: {available}")
    right = ctx.tables[step.right]
    right_on = step.right_on or step.left_on
    left_schema, right_schema = lf.collect_schema(), right.collect_schema()
    check_columns(left_schema, step.left_on, index, step)
    require_columns(right_schema, right_on, where=f"step {index} (join) table {step.right!r}")
    mismatched = _check_key_types(
        left_schema, right_schema, list(zip(step.left_on, right_on, strict=True))
    )
    if mismatched:
        raise step_error(index, step, f"key types differ: {'; '.join(mismatched)}; convert first")
    after = lf.join(
        right,
        left_on=step.left_on,
        right_on=right_on,
        how=step.how,
        suffix=step.suffix,
        coalesce=True,
        nulls_equal=False,
        maintain_order=JOIN_ORDER[step.how],
    )
    return StepOutcome(
        after,
        f"{step.how} join {step.right!r} on {', '.join(step.left_on)}",
        count_query=_match_counts(lf, right, step.left_on, right_on),
        details={
            "right": step.right,
            "left_on": step.left_on,
            "right_on": right_on,
            "how": step.how,
        },
    )


def join_tables(
    left: object,
    right: object,
    left_on: list[str],
    right_on: list[str] | None = None,
    how: str = "left",
) -> tuple[pl.LazyFrame, AnalysisResult]:
    """Join two tables lazily and report how many left rows matched (one counting pass)."""
    step = Join.model_validate(
        {"op": "join", "right": "right", "left_on": left_on, "right_on": right_on, "how": how}
    )
    ctx = PlanContext(tables={"right": to_lazy(right)})
    outcome = plan_join(to_lazy(left), 1, step, ctx)
    assert outcome.count_query is not None
    counts = outcome.count_query.collect().row(0, named=True)
    share = counts["matched_left_rows"] / counts["left_rows"] if counts["left_rows"] else None
    summary = (
        f"{how} join on {', '.join(left_on)}: {fmt_int(counts['matched_left_rows'])} of "
        f"{fmt_int(counts['left_rows'])} left rows ({fmt_pct(share)}) have a match among "
        f"{fmt_int(counts['right_rows'])} right rows."
    )
    data = {**counts, "match_share": share, **outcome.details}
    return outcome.after, AnalysisResult(kind="join", summary=summary, data=data)


def _name_similarity(left: str, right: str) -> float:
    def norm(name: str) -> str:
        return re.sub(r"[^a-z0-9]", "", name.lower())

    a, b = norm(left), norm(right)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def _key_like(dtype: pl.DataType) -> bool:
    return (
        dtype.is_integer() or dtype in (pl.String, pl.Categorical, pl.Date) or dtype.is_temporal()
    )


def _distinct_text(frame: pl.DataFrame, column: str) -> set[str]:
    values = frame.get_column(column).drop_nulls().cast(pl.String).unique()
    return set(values.to_list())


def _candidate(left: pl.DataFrame, right: pl.DataFrame, lcol: str, rcol: str) -> dict[str, Any]:
    left_values, right_values = _distinct_text(left, lcol), _distinct_text(right, rcol)
    overlap = len(left_values & right_values) / len(left_values) if left_values else 0.0
    non_null_right = right.get_column(rcol).drop_nulls()
    right_unique = len(right_values) / len(non_null_right) if len(non_null_right) else 0.0
    name = _name_similarity(lcol, rcol)
    score = 0.35 * name + 0.5 * overlap + 0.15 * right_unique if overlap > 0 else 0.2 * name
    return {
        "left": lcol,
        "right": rcol,
        "name_similarity": round(name, 4),
        "value_overlap": round(overlap, 4),
        "right_uniqueness": round(right_unique, 4),
        "score": round(score, 4),
    }


def suggest_join_keys(
    left: object, right: object, *, sample_rows: int = 50_000, seed: int = 0, top: int = 10
) -> AnalysisResult:
    """Rank (left, right) column pairs as join keys by name similarity and value overlap."""
    left_sample = collect_sample(to_lazy(left), sample_rows, seed)
    right_sample = collect_sample(to_lazy(right), sample_rows, seed)
    lframe, rframe = left_sample.frame, right_sample.frame
    pairs = [
        (lc, rc)
        for lc in lframe.columns
        if _key_like(lframe.schema[lc])
        for rc in rframe.columns
        if _key_like(rframe.schema[rc])
    ]
    if not pairs:
        raise BadRequest("no key-like columns (integers, text, dates) to join on")
    ranked = sorted(
        (_candidate(lframe, rframe, lc, rc) for lc, rc in pairs), key=lambda c: -c["score"]
    )
    candidates = [c for c in ranked if c["score"] > 0.1][:top]
    if candidates:
        best = candidates[0]
        summary = (
            f"Best join key: {best['left']} = {best['right']} (score {best['score']:.2f}; "
            f"{fmt_pct(best['value_overlap'])} of left values found on the right, "
            f"name similarity {best['name_similarity']:.2f})."
        )
    else:
        summary = "No column pair looks like a join key (no shared values, no similar names)."
    columns = ["left", "right", "score", "value_overlap", "name_similarity", "right_uniqueness"]
    table = make_table(
        "Join key candidates", columns, [[c[k] for k in columns] for c in candidates]
    )
    notes = [n for n in (left_sample.note, right_sample.note) if n]
    return AnalysisResult(
        kind="join_keys",
        summary=summary,
        data={"candidates": candidates},
        tables=[table],
        sample_note="; ".join(notes) or None,
    )
