"""Sniff how a delimited text file is written: delimiter and quote character."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

DELIMITERS = (",", "\t", ";", "|")
QUOTES = ('"', "'")
SNIFF_LINES = 200

csv.field_size_limit(2**31 - 1)  # a 5 MB cell is a valid cell


@dataclass(frozen=True)
class CsvDialect:
    """The delimiter and quote character of a delimited text file."""

    delimiter: str = ","
    quote: str = '"'
    line_end: str = "\n"
    """`\n` (also for CRLF) or `\r` for files from classic Mac software."""

    @property
    def delimiter_name(self) -> str:
        """How the UI shows the delimiter."""
        return {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}[self.delimiter]


def sniff_dialect(text: str, *, complete: bool) -> CsvDialect:
    """Pick the delimiter and quote that split the first lines most consistently.

    `text` is the start of the file; `complete` says whether it is the whole file (else
    its last line may be cut and is ignored). A delimiter wins on (share of lines with
    the most common field count, that field count); ties keep the order comma, tab,
    semicolon, pipe and prefer the double quote. A split that makes the header narrower
    than the rows below it does not count; with no split, the file is one column.
    """
    best = CsvDialect()
    best_score = (0.0, 1)
    for quote in QUOTES:
        if quote == "'" and not _quotes_fields_with_apostrophes(text):
            continue
        for delimiter in DELIMITERS:
            score = _consistency(text, delimiter, quote, complete=complete)
            if score > best_score:
                best, best_score = CsvDialect(delimiter, quote), score
    line_end = "\r" if "\r" in text and "\n" not in text else "\n"
    if best_score[1] < 2:  # one column: split on the delimiter the text uses least
        return CsvDialect(min(DELIMITERS, key=text.count), line_end=line_end)
    return CsvDialect(best.delimiter, best.quote, line_end)


def _consistency(text: str, delimiter: str, quote: str, *, complete: bool) -> tuple[float, int]:
    rows = _rows(text, delimiter, quote, complete=complete)
    if not rows:
        return (0.0, 0)
    counts = Counter(len(row) for row in rows)
    width, frequency = counts.most_common(1)[0]
    if width < 2 or len(rows[0]) < width:  # a header narrower than its rows is no split
        return (0.0, 1)
    return (round(frequency / len(rows), 2), width)


def _rows(text: str, delimiter: str, quote: str, *, complete: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if row:
                rows.append(row)
            if len(rows) > SNIFF_LINES:
                break
    except csv.Error:
        return rows
    if not complete and len(rows) > 1 and len(rows) <= SNIFF_LINES:
        rows.pop()  # the cut last line
    return rows[:SNIFF_LINES]


def _quotes_fields_with_apostrophes(text: str) -> bool:
    """Single quotes are a quote character only when fields start with them."""
    starts = sum(text.count(f"{delimiter}'") for delimiter in DELIMITERS)
    starts += text.count("\n'") + text.startswith("'")
    return starts >= 2 and text.count('"') == 0
