"""Input handling shared by the analysis functions: frames in, checked columns, seeded samples.

Every analysis function accepts a Polars `LazyFrame` or `DataFrame`, or a pandas `DataFrame`
(converted with `pl.from_pandas`). Work stays lazy until a function needs numbers; when a
computation must run in memory (a model fit, a rank test) it runs on a seeded random sample
of at most `max_rows` rows, and the result says so in its `sample_note`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from chatdata.analysis.formatting import fmt_int
from chatdata.errors import BadRequest

ROW_INDEX = "__chatdata_row__"


def to_lazy(frame: object) -> pl.LazyFrame:
    """Return `frame` (Polars LazyFrame/DataFrame or pandas DataFrame) as a Polars LazyFrame."""
    if isinstance(frame, pl.LazyFrame):
        return frame
    if isinstance(frame, pl.DataFrame):
        return frame.lazy()
    if type(frame).__module__.startswith("pandas"):
        converted: Any = pl.from_pandas(frame)
        if isinstance(converted, pl.DataFrame):
            return converted.lazy()
    raise BadRequest(f"expected a Polars or pandas DataFrame, got {type(frame).__name__}")


def schema_of(lf: pl.LazyFrame) -> pl.Schema:
    """Return the resolved schema of a LazyFrame."""
    return lf.collect_schema()


def require_columns(schema: pl.Schema, columns: list[str], *, where: str = "") -> None:
    """Raise BadRequest naming every column of `columns` missing from `schema`."""
    missing = [name for name in columns if name not in schema]
    if missing:
        prefix = f"{where}: " if where else ""
        raise BadRequest(
            f"{prefix}unknown column(s) {', '.join(repr(m) for m in missing)}; "
            f"available: {', '.join(schema.names())}",
            details={"missing": missing, "available": schema.names()},
        )


def require_numeric(schema: pl.Schema, columns: list[str], *, where: str = "") -> None:
    """Raise BadRequest unless every column exists and is numeric (bools count as numeric)."""
    require_columns(schema, columns, where=where)
    bad = [c for c in columns if not (schema[c].is_numeric() or schema[c] == pl.Boolean)]
    if bad:
        prefix = f"{where}: " if where else ""
        kinds = ", ".join(f"{c!r} is {schema[c]}" for c in bad)
        raise BadRequest(
            f"{prefix}numeric column(s) required, but {kinds}", details={"columns": bad}
        )


def count_rows(lf: pl.LazyFrame) -> int:
    """Count rows of a LazyFrame (metadata-only for a plain Parquet scan)."""
    return int(lf.select(pl.len()).collect().item())


@dataclass(frozen=True)
class Sample:
    """Rows collected for an in-memory computation, with a note when they are a sample."""

    frame: pl.DataFrame
    total_rows: int
    note: str | None

    @property
    def is_sample(self) -> bool:
        """True when `frame` holds fewer rows than the data it was drawn from."""
        return self.note is not None


def sample_note(sample_rows: int, total_rows: int, seed: int, verb: str = "computed") -> str:
    """Sentence saying a result was computed on a seeded random sample."""
    return (
        f"{verb} on a random sample of {fmt_int(sample_rows)} of "
        f"{fmt_int(total_rows)} rows (seed {seed})"
    )


def collect_sample(lf: pl.LazyFrame, max_rows: int, seed: int, *, verb: str = "computed") -> Sample:
    """Collect all rows of `lf` if there are at most `max_rows`, else an exact seeded sample.

    The sample is drawn without loading the data: row positions are chosen with numpy's
    seeded generator and selected by a streaming filter on a row index.
    """
    if max_rows < 1:
        raise BadRequest("max_rows must be at least 1")
    total = count_rows(lf)
    if total <= max_rows:
        return Sample(lf.collect(), total, None)
    positions = np.sort(np.random.default_rng(seed).choice(total, size=max_rows, replace=False))
    chosen = pl.Series("positions", positions, dtype=pl.UInt32 if total < 2**32 else pl.UInt64)
    sampled = (
        lf.with_row_index(ROW_INDEX)
        .filter(pl.col(ROW_INDEX).is_in(chosen.implode()))
        .drop(ROW_INDEX)
        .collect()
    )
    return Sample(sampled, total, sample_note(max_rows, total, seed, verb))
