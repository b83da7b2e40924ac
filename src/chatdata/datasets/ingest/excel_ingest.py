"""Excel and OpenDocument sheets (xlsx, xlsm, xlsb, xls, ods) to Parquet via calamine.

The first row of the sheet's used range is the header unless it holds numbers or dates
(then columns are named column_1..N). Whole-number float columns become integers,
midnight-only datetimes become dates, and text columns get the same type inference as
CSV (so `00123` stays text and `2024-01-31` typed as text becomes a date). Calamine
loads the chosen sheet into memory; a sheet is at most 1,048,576 rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl

from chatdata.datasets.ingest.errors import IngestError, short_text
from chatdata.datasets.ingest.excel_formulas import sheet_has_formulas
from chatdata.datasets.ingest.inference import NumberLocale, column_sample, infer_plan
from chatdata.datasets.ingest.names import positional_names, unique_column_names
from chatdata.datasets.ingest.plans import ConversionFailed, Kind, null_tokens_to_null
from chatdata.parquet import PARQUET_COMPRESSION

MAX_EXACT_FLOAT_INTEGER = 2**53


@dataclass
class ExcelOutcome:
    """What the sheet conversion found and did."""

    sheet: str
    rows: int
    columns: list[str]
    notes: list[str] = field(default_factory=list)


def ingest_excel(src: Path, out: Path, sheet: str | int | None) -> ExcelOutcome:
    """Convert one sheet of a workbook to Parquet at `out`."""
    reader = _open_workbook(src)
    index = _sheet_index(reader.sheet_names, sheet)
    name = reader.sheet_names[index]
    frame, notes = _load_sheet(reader, index)
    if frame.width == 0 or frame.height == 0:
        raise IngestError(_empty_sheet_reason(src, index, name, frame.width))
    frame, type_notes = _refine_types(frame)
    frame.write_parquet(out, compression=PARQUET_COMPRESSION)
    return ExcelOutcome(
        sheet=name, rows=frame.height, columns=frame.columns, notes=notes + type_notes
    )


def _open_workbook(src: Path) -> Any:
    try:
        return fastexcel.read_excel(src)
    except Exception as exc:
        reason = short_text(exc)
        if "password" in reason.lower() or "encrypt" in reason.lower():
            raise IngestError("The workbook is password-protected; save it without one.") from exc
        raise IngestError(f"The workbook could not be opened: {reason}") from exc


def _sheet_index(names: list[str], sheet: str | int | None) -> int:
    if not names:
        raise IngestError("The workbook has no sheets.")
    if sheet is None:
        return 0
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return sheet
        raise IngestError(
            f"The workbook has {len(names)} sheet(s); there is no sheet number {sheet + 1}."
        )
    if sheet in names:
        return names.index(sheet)
    folded = [name.casefold() for name in names]
    if sheet.casefold() in folded:
        return folded.index(sheet.casefold())
    listed = ", ".join(f'"{name}"' for name in names[:10])
    raise IngestError(f'The workbook has no sheet named "{sheet}"; its sheets are {listed}.')


def _load_sheet(reader: Any, index: int) -> tuple[pl.DataFrame, list[str]]:
    try:
        first = reader.load_sheet(index, header_row=None, n_rows=1).to_polars()
        if first.width == 0 or first.height == 0:
            return pl.DataFrame(), []
        has_header = all(dtype == pl.String for dtype in first.dtypes)
        frame = reader.load_sheet(
            index, header_row=0 if has_header else None, schema_sample_rows=None
        ).to_polars()
    except Exception as exc:
        raise IngestError(f"The sheet could not be read: {short_text(exc)}") from exc
    if has_header:
        names, notes = unique_column_names(
            [str(v) if v is not None else None for v in first.row(0)]
        )
    else:
        names, notes = positional_names(frame.width), ["The sheet has no header row."]
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    return frame.filter(pl.any_horizontal(pl.all().is_not_null())), notes


def _empty_sheet_reason(src: Path, index: int, name: str, width: int) -> str:
    if sheet_has_formulas(src, index):
        return (
            f'Sheet "{name}" has formulas but no saved results, so there are no values to '
            "read. Open the file in Excel or LibreOffice and save it again, then upload it."
        )
    if width == 0:
        return f'Sheet "{name}" is empty.'
    return f'Sheet "{name}" has a header but no data rows.'


def _refine_types(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    columns: list[pl.Series] = []
    notes: list[str] = []
    for column in frame.get_columns():
        refined, note = _refine_column(column)
        columns.append(refined)
        if note:
            notes.append(f'Column "{column.name}" {note}.')
    return pl.DataFrame(columns), notes


def _refine_column(column: pl.Series) -> tuple[pl.Series, str | None]:
    if column.dtype == pl.Float64:
        return _whole_floats_to_int(column), None
    if isinstance(column.dtype, pl.Datetime):
        return _midnights_to_date(column), None
    if column.dtype == pl.String:
        return _typed_text(column)
    return column, None


def _whole_floats_to_int(column: pl.Series) -> pl.Series:
    values = column.drop_nulls()
    if values.is_empty() or not bool((values == values.round(0)).all()):
        return column
    if float(values.abs().max()) >= MAX_EXACT_FLOAT_INTEGER:  # type: ignore[arg-type]
        return column
    return column.cast(pl.Int64)


def _midnights_to_date(column: pl.Series) -> pl.Series:
    values = column.drop_nulls()
    if values.is_empty() or bool((values.dt.truncate("1d") != values).any()):
        return column
    return column.cast(pl.Date)


def _typed_text(column: pl.Series) -> tuple[pl.Series, str | None]:
    plan, note = infer_plan(column_sample(column), NumberLocale(decimal_comma=False))
    if plan.kind is Kind.STRING:
        return null_tokens_to_null(column), note
    try:
        return plan.convert(column).alias(column.name), None
    except ConversionFailed:
        return null_tokens_to_null(column), note
