"""Convert a UTF-8 delimited file to Parquet in one streaming Polars pass, retrying with a
looser type for a column whenever a value later in the file does not fit its plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from chatdata.datasets.ingest.attempts import write_attempt
from chatdata.datasets.ingest.csv_layout import CsvLayout
from chatdata.datasets.ingest.csv_settle import MAX_ROUNDS, first_misfits
from chatdata.datasets.ingest.errors import IngestError
from chatdata.datasets.ingest.plans import ColumnPlan, ConversionFailed, Kind, null_tokens_expr
from chatdata.datasets.ingest.polars_errors import (
    Misfit,
    column_misfit,
    find_misfit,
    is_invalid_utf8,
    native_alias,
)
from chatdata.parquet import sink_parquet_file

_OUTPUT_DTYPES: dict[Kind, pl.DataType] = {
    Kind.STRING: pl.String(),
    Kind.INTEGER: pl.Int64(),
    Kind.FLOAT: pl.Float64(),
    Kind.BOOLEAN: pl.Boolean(),
    Kind.DATE: pl.Date(),
}


@dataclass
class Conversion:
    """The plans that finally fit every value, and what changed on the way."""

    plans: list[ColumnPlan]
    lossy_utf8: bool = False
    widened: list[str] = field(default_factory=list)


StructuralCheck = Callable[[BaseException], IngestError | None]
"""Given a failed pass, returns the error to raise if the file's structure is at fault."""


def convert_csv(
    path: Path, out: Path, layout: CsvLayout, structural_error: StructuralCheck
) -> Conversion:
    """Write `path` to `out` as Parquet with the layout's plans, widening plans that misfit.

    Every pass checks every value strictly; a misfit ends the pass early, the column's plan
    is widened (integer -> float -> text, date -> datetime -> text, ...) and the pass runs
    again. From the second misfit on, one settling pass finds the first misfit of every
    column at once, so the number of passes does not grow with the number of columns.
    `structural_error` is asked first about each failure (broken quotes, too many fields),
    because those also surface as parse errors.
    """
    conversion = Conversion(plans=list(layout.plans))
    budget = 2 * sum(plan.kind is not Kind.STRING for plan in layout.plans) + 2
    failures = 0
    while True:
        try:
            _sink(path, out, layout, conversion)
            return conversion
        except Exception as exc:
            budget -= 1
            if budget < 0:
                raise IngestError("The column types could not be settled.") from exc
            _recover(exc, layout, conversion, structural_error)
            failures += 1
            if failures == 2:  # more than one column misfits: settle them all at once
                _settle_all(path, layout, conversion)


def _settle_all(path: Path, layout: CsvLayout, conversion: Conversion) -> None:
    for _ in range(MAX_ROUNDS):
        misfits = first_misfits(path, layout, conversion.plans, lossy_utf8=conversion.lossy_utf8)
        if not misfits:
            return
        for index, value in misfits.items():
            _widen(layout, conversion, Misfit(index, value))


def _recover(
    exc: Exception, layout: CsvLayout, conversion: Conversion, structural_error: StructuralCheck
) -> None:
    """Change the conversion so the next pass can get past `exc`, or raise."""
    if is_invalid_utf8(exc) and not conversion.lossy_utf8:
        conversion.lossy_utf8 = True
        return
    misfit = find_misfit(exc, layout.dialect.quote)
    if misfit is None or _may_be_structural(misfit, layout, conversion):
        structural = structural_error(exc)
        if structural is not None:
            raise structural from exc
    if misfit is None or not 0 <= misfit.index < len(conversion.plans):
        raise exc
    if not _widen(layout, conversion, misfit):
        raise exc


def _widen(layout: CsvLayout, conversion: Conversion, misfit: Misfit) -> bool:
    """Loosen the misfit column's plan; False when it cannot get looser."""
    old = conversion.plans[misfit.index]
    new = old.widen(misfit.value)
    if new == old:
        return False
    conversion.plans[misfit.index] = new
    if new.describe() == old.describe():
        return True  # the same type, read more leniently (null tokens, spaces, yes/no)
    conversion.widened.append(
        f'Column "{layout.names[misfit.index]}" was read as {new.describe()} instead of '
        f"{old.describe()} because of the value {misfit.value!r} later in the file."
    )
    return True


def _may_be_structural(misfit: Misfit, layout: CsvLayout, conversion: Conversion) -> bool:
    """A misfit caused by a broken quote swallows line breaks or quotes into one value."""
    if misfit.value is None or not 0 <= misfit.index < len(conversion.plans):
        return True
    if conversion.plans[misfit.index].kind is Kind.STRING:
        return True
    return "\n" in misfit.value or layout.dialect.quote in misfit.value


def _sink(path: Path, out: Path, layout: CsvLayout, conversion: Conversion) -> None:
    """One pass into its own file: a failed pass may still be flushing into the last one."""
    query = scan_with_plans(path, layout, conversion.plans, lossy_utf8=conversion.lossy_utf8)
    write_attempt(out, lambda path: sink_parquet_file(query, path))


def scan_with_plans(
    path: Path, layout: CsvLayout, plans: list[ColumnPlan], *, lossy_utf8: bool
) -> pl.LazyFrame:
    """The lazy query: drop blank lines and rows of empty fields, read, convert.

    Null tokens are handled by the converters and by an `is_in` on text columns, not by
    the reader's `null_values`, which slows every field of the file by a quarter."""
    schema = {name: plan.reader_dtype for name, plan in zip(layout.names, plans, strict=True)}
    frame = pl.scan_csv(
        path,
        has_header=False,
        skip_rows=layout.rows_to_skip,
        eol_char=layout.dialect.line_end,
        schema=schema,
        separator=layout.dialect.delimiter,
        quote_char=layout.dialect.quote,
        encoding="utf8-lossy" if lossy_utf8 else "utf8",
        raise_if_empty=False,
        truncate_ragged_lines=False,
    )
    pairs = enumerate(zip(layout.names, plans, strict=True))
    columns = [_column(index, name, plan) for index, (name, plan) in pairs]
    keep = _unused_name(layout.names)
    not_empty = pl.any_horizontal(pl.all().is_not_null()).alias(keep)
    # A computed flag, not a filter predicate: pushing an any_horizontal predicate over
    # thousands of columns into the scan takes minutes in Polars' optimizer.
    return frame.with_columns(not_empty).filter(pl.col(keep)).select(columns)


def _unused_name(names: list[str]) -> str:
    taken = set(names)
    name = "__chatdata_keep"
    while name in taken:
        name += "_"
    return name


def output_dtype(plan: ColumnPlan) -> pl.DataType:
    """The Polars dtype a plan produces."""
    if plan.kind is Kind.DATETIME:
        return pl.Datetime("us", "UTC" if plan.utc else None)
    return _OUTPUT_DTYPES[plan.kind]


def _column(index: int, name: str, plan: ColumnPlan) -> pl.Expr:
    if plan.kind is Kind.STRING:
        return null_tokens_expr(name)
    if not plan.needs_converter:
        return pl.col(name)
    native = plan.native_expr(name, native_alias(index))
    if native is not None:
        return native
    return pl.col(name).map_batches(
        _converter(index, plan), return_dtype=output_dtype(plan), is_elementwise=True
    )


def _converter(index: int, plan: ColumnPlan) -> Callable[[pl.Series], pl.Series]:
    def convert(values: pl.Series) -> pl.Series:
        try:
            return plan.convert(values)
        except ConversionFailed as exc:
            raise column_misfit(index, exc.value) from None

    return convert
