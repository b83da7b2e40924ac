"""Delimited text (CSV, TSV, ...) to Parquet: decode, sniff, convert, check the fields."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from chatdata.datasets.ingest.csv_convert import convert_csv
from chatdata.datasets.ingest.csv_layout import CsvLayout, read_layout
from chatdata.datasets.ingest.encoding import TextEncoding, detect_encoding, transcode_to_utf8
from chatdata.datasets.ingest.errors import IngestError, format_count
from chatdata.datasets.ingest.field_counts import FieldCount, count_fields, scan_records
from chatdata.datasets.ingest.polars_errors import explain_read_error, is_too_many_fields

Progress = Callable[[int, str], None]


@dataclass
class CsvOutcome:
    """What the delimited-text conversion found and did."""

    encoding: TextEncoding
    delimiter: str
    rows: int
    columns: list[str]
    notes: list[str] = field(default_factory=list)


def ingest_delimited(
    src: Path, out: Path, head: bytes, scratch: Path, progress: Progress
) -> CsvOutcome:
    """Convert a delimited text file of any supported encoding into Parquet at `out`."""
    encoding = detect_encoding(head)
    notes: list[str] = []
    text_file = src
    if not encoding.is_utf8:
        progress(10, f"Decoding text from {encoding.name}")
        text_file = scratch / "decoded.csv"
        notes += transcode_to_utf8(src, text_file, encoding)
    progress(25, "Reading the column layout")
    layout = read_layout(text_file)
    progress(30, f"Converting {len(layout.names):,} columns to Parquet")
    rows, conversion_notes = _convert_and_check(text_file, out, layout)
    return CsvOutcome(
        encoding=encoding,
        delimiter=layout.dialect.delimiter,
        rows=rows,
        columns=layout.names,
        notes=notes + layout.notes + conversion_notes,
    )


def _convert_and_check(path: Path, out: Path, layout: CsvLayout) -> tuple[int, list[str]]:
    """Convert, and check field counts only if a short record could be hiding.

    Polars pads a short record with nulls, so a short record always leaves a null in the
    last column: when the last column has no null (the Parquet statistics say so at no
    cost), no record was short and the field-count pass is not needed. When the sample
    already shows empty last values, the pass runs beside the conversion instead of after.
    """
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-fields") as pool:
        early = _start_count(pool, path, layout, stop)
        try:
            conversion = convert_csv(
                path, out, layout, lambda exc: _structural_error(exc, path, layout)
            )
        except BaseException:
            stop.set()
            raise
        rows = pl.scan_parquet(out).select(pl.len()).collect().item()
        counts: FieldCount | None = None
        if layout.width > 1 and _null_count(out, layout.names[-1]) > 0:
            counts = early.result() if early else count_fields(path, layout.dialect)
        stop.set()
    if rows == 0:
        what = "a header but no data rows" if layout.has_header else "no data rows"
        raise IngestError(f"The file has {what}.")
    notes = list(conversion.widened)
    if counts is not None:
        notes += _field_notes(path, layout, counts, rows)
    if conversion.lossy_utf8:
        notes.append("Some bytes were not valid UTF-8 and were replaced with \ufffd.")
    return rows, notes


def _start_count(
    pool: ThreadPoolExecutor, path: Path, layout: CsvLayout, stop: threading.Event
) -> Future[FieldCount] | None:
    if layout.width < 2 or not layout.sample_ends_empty:
        return None
    return pool.submit(count_fields, path, layout.dialect, stop)


def _null_count(parquet: Path, column: str) -> int:
    """Nulls in one column, from the row-group statistics when they are there."""
    metadata = pq.read_metadata(parquet)
    index = metadata.schema.to_arrow_schema().get_field_index(column)
    total = 0
    for group in range(metadata.num_row_groups):
        statistics = metadata.row_group(group).column(index).statistics
        if statistics is None or not statistics.has_null_count:
            counted = pl.scan_parquet(parquet).select(pl.col(column).null_count()).collect()
            return int(counted.item())
        total += statistics.null_count
    return total


def _structural_error(exc: BaseException, path: Path, layout: CsvLayout) -> IngestError | None:
    """Broken quotes and over-long records, explained with their line numbers."""
    if not is_too_many_fields(exc) and not count_fields(path, layout.dialect).open_quote_at_end:
        return None
    scan = scan_records(path, layout.dialect, layout.width, stop_at_problem=True)
    return explain_read_error(exc, scan, layout.width)


def _field_notes(path: Path, layout: CsvLayout, counts: FieldCount, rows: int) -> list[str]:
    header = 1 if layout.has_header else 0
    if counts.all_records_have(layout.width):
        skipped = counts.records - header - rows
        return [_skipped_note(skipped)] if skipped > 0 else []
    scan = scan_records(path, layout.dialect, layout.width, stop_at_problem=False)
    notes: list[str] = []
    if scan.short_records:
        notes.append(
            f"{_rows(scan.short_records)} had fewer than {format_count(layout.width)} "
            "fields; the missing values were left empty (the first such row is on line "
            f"{format_count(scan.first_short_line or 0)})."
        )
    if scan.empty_records:
        notes.append(_skipped_note(scan.empty_records))
    return notes


def _skipped_note(count: int) -> str:
    return f"{_rows(count)} had no values and {'was' if count == 1 else 'were'} skipped."


def _rows(count: int) -> str:
    return f"{format_count(count)} row{'' if count == 1 else 's'}"
