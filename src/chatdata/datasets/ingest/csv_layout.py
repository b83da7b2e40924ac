"""Work out a delimited file's layout from its start: dialect, header, names, types."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from chatdata.datasets.ingest.dialect import CsvDialect, sniff_dialect
from chatdata.datasets.ingest.errors import IngestError
from chatdata.datasets.ingest.field_counts import scan_records
from chatdata.datasets.ingest.inference import (
    column_sample,
    fits_text,
    infer_plan,
    number_locale,
)
from chatdata.datasets.ingest.names import positional_names, unique_column_names
from chatdata.datasets.ingest.plans import NULL_TOKENS, ColumnPlan, Kind
from chatdata.datasets.ingest.polars_errors import explain_read_error

HEAD_BYTES = 1024**2
SNIFF_CHARS = 64 * 1024
SAMPLE_BYTES = 4 * 1024**2
MIN_SAMPLE_ROWS = 100
MAX_SAMPLE_ROWS = 100_000


@dataclass
class CsvLayout:
    """How to read a delimited UTF-8 file, decided from a sample of its first rows."""

    dialect: CsvDialect
    has_header: bool
    names: list[str]
    plans: list[ColumnPlan]
    notes: list[str] = field(default_factory=list)
    blank_lines_before: int = 0
    """Blank lines at the top of the file, skipped before the header."""
    sample_ends_empty: bool = False
    """Some sampled rows have no value in the last column (they may be short rows)."""

    @property
    def rows_to_skip(self) -> int:
        """Lines the reader skips before the first data row."""
        return self.blank_lines_before + (1 if self.has_header else 0)

    @property
    def width(self) -> int:
        """The number of fields every record should have."""
        return len(self.names)


def read_layout(path: Path) -> CsvLayout:
    """Sniff the dialect, read a sample, detect the header and infer each column's type."""
    text, complete = _head_text(path)
    dialect = sniff_dialect(text[:SNIFF_CHARS], complete=complete and len(text) <= SNIFF_CHARS)
    blank = _blank_lines_at_top(text, dialect.line_end)
    sample = _without_blank_rows(_read_sample(path, dialect, _sample_rows(text), blank))
    if sample.height == 0:
        raise IngestError("The file is empty.")
    layout = _layout_from_sample(sample, dialect)
    layout.blank_lines_before = blank
    layout.sample_ends_empty = bool(sample.slice(1).get_columns()[-1].null_count())
    return layout


def _blank_lines_at_top(text: str, line_end: str) -> int:
    count = 0
    for line in text.split(line_end):
        if line.strip("\r"):
            break
        count += 1
    return count


def _without_blank_rows(sample: pl.DataFrame) -> pl.DataFrame:
    """Blank lines (and rows of empty fields) are skipped by the conversion too."""
    if sample.width == 0:
        return sample
    keep = sample.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
    return sample.filter(keep)


def _head_text(path: Path) -> tuple[str, bool]:
    with path.open("rb") as reader:
        head = reader.read(HEAD_BYTES + 1)
    complete = len(head) <= HEAD_BYTES
    text = head[:HEAD_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
    if not complete and "\n" in text:
        text = text[: text.rfind("\n") + 1]
    if not text.strip():
        raise IngestError("The file is empty.")
    return text, complete


def _sample_rows(text: str) -> int:
    lines = max(text.count("\n"), text.count("\r"), 1)
    average = max(len(text) // lines, 1)
    return min(MAX_SAMPLE_ROWS, max(MIN_SAMPLE_ROWS, SAMPLE_BYTES // average)) + 1


def _read_sample(path: Path, dialect: CsvDialect, rows: int, skip: int) -> pl.DataFrame:
    try:
        return pl.read_csv(
            path,
            has_header=False,
            infer_schema=False,
            skip_rows=skip,
            eol_char=dialect.line_end,
            n_rows=rows,
            separator=dialect.delimiter,
            quote_char=dialect.quote,
            encoding="utf8-lossy",
            raise_if_empty=False,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError as exc:
        width = _header_width(path, dialect)
        scan = scan_records(path, dialect, width, stop_at_problem=True)
        raise explain_read_error(exc, scan, width) from exc


def _header_width(path: Path, dialect: CsvDialect) -> int:
    """The field count of the first record, read with the csv module."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as text:
        reader = csv.reader(text, delimiter=dialect.delimiter, quotechar=dialect.quote)
        try:
            return len(next((row for row in reader if row), []))
        except csv.Error:
            return 0


def _layout_from_sample(sample: pl.DataFrame, dialect: CsvDialect) -> CsvLayout:
    first_row = list(sample.row(0))
    body = [column_sample(column) for column in sample.slice(1).get_columns()]
    locale = number_locale(body, dialect.delimiter)
    inferred = [infer_plan(column, locale) for column in body]
    has_header = _first_row_is_header(first_row, [plan for plan, _ in inferred], sample.height)
    if has_header:
        if sample.height == 1:
            raise IngestError("The file has a header but no data rows.")
        names, notes = unique_column_names(first_row)
    else:
        whole = [column_sample(column) for column in sample.get_columns()]
        inferred = [infer_plan(column, locale) for column in whole]
        names, notes = positional_names(sample.width), ["The file has no header row."]
    plans = [plan for plan, _ in inferred]
    for name, (_, note) in zip(names, inferred, strict=True):
        if note:
            notes.append(f'Column "{name}" {note}.')
    return CsvLayout(dialect=dialect, has_header=has_header, names=names, plans=plans, notes=notes)


def _first_row_is_header(first_row: list[str | None], plans: list[ColumnPlan], rows: int) -> bool:
    """A header unless most typed columns accept the first row's value as data.

    With no typed column to judge by, the first row is a header, except in a one-row file
    whose values look like numbers or dates (then it is data).
    """
    typed = [
        (value, plan)
        for value, plan in zip(first_row, plans, strict=True)
        if plan.kind is not Kind.STRING and value is not None and value not in NULL_TOKENS
    ]
    if not typed:
        return rows > 1 or not any(_looks_like_data(value) for value in first_row)
    fitting = sum(fits_text(plan, value) for value, plan in typed)
    return fitting * 2 < len(typed)


def _looks_like_data(value: str | None) -> bool:
    if value is None:
        return False
    column = column_sample(pl.Series([value]))
    plan, _ = infer_plan(column, number_locale([column], ","))
    return plan.kind is not Kind.STRING
