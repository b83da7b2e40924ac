"""String normalisation step: trim, case, collapse whitespace, Unicode NFKC."""

from __future__ import annotations

import polars as pl

from chatdata.analysis.cleaning.plan import StepOutcome, check_columns, step_error
from chatdata.analysis.cleaning.specs import NormalizeStrings


def normalized_expression(name: str, step: NormalizeStrings) -> pl.Expr:
    """The normalised form of text column `name` under the step's options (NFKC applied first)."""
    text = pl.col(name)
    if step.unicode_nfkc:
        text = text.str.normalize("NFKC")
    if step.collapse_whitespace:
        text = text.str.replace_all(r"\s+", " ")
    if step.trim:
        text = text.str.strip_chars()
    if step.case == "lower":
        text = text.str.to_lowercase()
    elif step.case == "upper":
        text = text.str.to_uppercase()
    elif step.case == "title":
        text = text.str.to_titlecase()
    return text


def plan_normalize_strings(lf: pl.LazyFrame, index: int, step: NormalizeStrings) -> StepOutcome:
    """Plan normalising text columns; counts changed values per column."""
    schema = lf.collect_schema()
    check_columns(schema, step.columns, index, step)
    not_text = [name for name in step.columns if schema[name] != pl.String]
    if not_text:
        raise step_error(index, step, f"text columns required; not text: {', '.join(not_text)}")
    new = {name: normalized_expression(name, step) for name in step.columns}
    counts = lf.select(
        [pl.col(n).eq_missing(e).not_().sum().alias(f"changed:{n}") for n, e in new.items()]
    )
    return StepOutcome(
        lf.with_columns([expr.alias(name) for name, expr in new.items()]),
        f"normalise text in {', '.join(step.columns)}",
        count_query=counts,
        details={"columns": step.columns, "case": step.case},
    )
