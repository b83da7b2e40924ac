"""Settle every column's type in one pass when several columns misfit late in a file.

Retrying the conversion once per misfit is cheapest when one column is wrong, but a file
whose twenty integer columns all turn decimal near the end would need twenty passes. This
pass reads every typed column as text, runs each plan's strict converter batch by batch,
and reports the first misfit of every column at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from chatdata.datasets.ingest.csv_layout import CsvLayout
from chatdata.datasets.ingest.plans import ColumnPlan, ConversionFailed, Kind

UNKNOWN_VALUE = "\x00"
MAX_ROUNDS = 4


def first_misfits(
    path: Path, layout: CsvLayout, plans: list[ColumnPlan], *, lossy_utf8: bool
) -> dict[int, str | None]:
    """For each typed column that has a value its plan rejects: column index -> value."""
    typed = [index for index, plan in enumerate(plans) if plan.kind is not Kind.STRING]
    if not typed:
        return {}
    frame = pl.scan_csv(
        path,
        has_header=False,
        skip_rows=layout.rows_to_skip,
        eol_char=layout.dialect.line_end,
        schema=dict.fromkeys(layout.names, pl.String),
        separator=layout.dialect.delimiter,
        quote_char=layout.dialect.quote,
        encoding="utf8-lossy" if lossy_utf8 else "utf8",
        raise_if_empty=False,
        truncate_ragged_lines=False,
    )
    probes = [
        pl.col(layout.names[index])
        .map_batches(_misfit_finder(plans[index]), return_dtype=pl.String, is_elementwise=True)
        .drop_nulls()
        .first()
        .alias(str(index))
        for index in typed
    ]
    found = frame.select(probes).collect(engine="streaming").row(0)
    return {
        index: None if value == UNKNOWN_VALUE else value
        for index, value in zip(typed, found, strict=True)
        if value is not None
    }


def _misfit_finder(plan: ColumnPlan) -> Callable[[pl.Series], pl.Series]:
    """A batch function: all nulls, or the first misfit of the batch in its first row."""

    def find(values: pl.Series) -> pl.Series:
        misfit: str | None = None
        try:
            plan.convert(values)
        except ConversionFailed as exc:
            misfit = UNKNOWN_VALUE if exc.value is None else exc.value
        column = pl.Series(values.name, [None] * len(values), dtype=pl.String)
        return column if misfit is None or not len(values) else column.scatter(0, misfit)

    return find
