"""Check that every record of a delimited file has as many fields as the header.

`count_fields` is the cheap check that runs beside the conversion: it counts delimiters
and records outside quoted values at memory speed (quoted values are cut out first), and
when every record has the header's width the counts agree exactly. Only when they do not
does `scan_records`, a slower exact pass with Python's csv module, find which records are
short, which are empty and where the first over-long record or open quote is.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chatdata.datasets.ingest.dialect import CsvDialect

CHUNK_BYTES = 16 * 1024**2
_NEWLINE = 10
_CARRIAGE_RETURN = 13


@dataclass
class FieldCount:
    """Delimiters and non-blank records outside quoted values, counted over the file."""

    delimiters: int = 0
    records: int = 0
    blank_lines: int = 0
    open_quote_at_end: bool = False

    def all_records_have(self, width: int) -> bool:
        """True when the counts prove every non-blank record has exactly `width` fields."""
        return not self.open_quote_at_end and self.delimiters == self.records * (width - 1)


@dataclass
class _LineState:
    """The partial line carried from one chunk to the next."""

    pending: int = 0
    pending_is_cr: bool = False


def count_fields(
    path: Path, dialect: CsvDialect, stop: threading.Event | None = None
) -> FieldCount:
    """Count delimiters and records outside quoted values in one streaming pass.

    Setting `stop` ends the pass early (the counts are then meaningless)."""
    delimiter, quote = dialect.delimiter.encode(), dialect.quote.encode()
    line_end = ord(dialect.line_end)
    counts = FieldCount()
    line = _LineState()
    with path.open("rb", buffering=0) as reader:
        head = reader.read(3)
        if head != b"\xef\xbb\xbf":
            reader.seek(0)
        while (chunk := reader.read(CHUNK_BYTES)) and not (stop and stop.is_set()):
            outside = _outside_quotes(chunk, quote, counts)
            counts.delimiters += outside.count(delimiter)
            _count_lines(outside, counts, line, line_end)
    if line.pending and not line.pending_is_cr:
        counts.records += 1
    return counts


def _outside_quotes(chunk: bytes, quote: bytes, counts: FieldCount) -> bytes:
    """The chunk with each quoted value replaced by one `x` (so no line looks blank)."""
    if not counts.open_quote_at_end and quote not in chunk:
        return chunk
    parts = chunk.split(quote)
    outside = parts[1::2] if counts.open_quote_at_end else parts[0::2]
    if (len(parts) - 1) % 2:
        counts.open_quote_at_end = not counts.open_quote_at_end
    text = b"x".join(outside)
    return text + b"x" if counts.open_quote_at_end else text


def _count_lines(outside: bytes, counts: FieldCount, line: _LineState, line_end: int) -> None:
    data = np.frombuffer(outside, dtype=np.uint8)
    ends = np.flatnonzero(data == line_end)
    if len(ends) == 0:
        _extend_pending(outside, line)
        return
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts
    lengths[0] += line.pending
    before_end = data[np.maximum(ends - 1, 0)]
    crlf = line_end == _NEWLINE
    blank = (lengths == 0) | ((lengths == 1) & (before_end == _CARRIAGE_RETURN) & crlf)
    if line.pending and ends[0] == 0:
        blank[0] = line.pending_is_cr
    counts.blank_lines += int(np.count_nonzero(blank))
    counts.records += len(ends) - int(np.count_nonzero(blank))
    line.pending, line.pending_is_cr = 0, False
    _extend_pending(outside[int(ends[-1]) + 1 :], line)


def _extend_pending(tail: bytes, line: _LineState) -> None:
    if not tail:
        return
    line.pending_is_cr = line.pending == 0 and tail == b"\r"
    line.pending += len(tail)


@dataclass
class RecordScan:
    """What an exact pass over the records found (lines are 1-based physical lines)."""

    records: int = 0
    short_records: int = 0
    first_short_line: int | None = None
    empty_records: int = 0
    long_record: tuple[int, int] | None = None
    """(line, field count) of the first record with more fields than the header."""
    quote_problem_line: int | None = None
    """The line where a quoted value starts that is never closed properly."""


def scan_records(
    path: Path, dialect: CsvDialect, width: int, *, stop_at_problem: bool
) -> RecordScan:
    """Read every record with the csv module; with `stop_at_problem`, stop at the first
    over-long record or broken quote (strict quoting)."""
    scan = RecordScan()
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as text:
        reader = csv.reader(
            text, delimiter=dialect.delimiter, quotechar=dialect.quote, strict=stop_at_problem
        )
        start = 1
        try:
            for row in reader:
                _note_record(scan, row, start, width)
                if stop_at_problem and scan.long_record is not None:
                    break
                start = reader.line_num + 1
        except csv.Error:
            scan.quote_problem_line = start
    return scan


def _note_record(scan: RecordScan, row: list[str], line: int, width: int) -> None:
    if not row:
        return
    scan.records += 1
    if len(row) > width and scan.long_record is None:
        scan.long_record = (line, len(row))
    elif len(row) < width:
        scan.short_records += 1
        scan.first_short_line = scan.first_short_line or line
    if all(value == "" for value in row):
        scan.empty_records += 1
