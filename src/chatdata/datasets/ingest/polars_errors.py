"""Turn reader errors into sentences, and find which column a failed parse was in."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from chatdata.datasets.ingest.errors import IngestError, format_count, short_text
from chatdata.datasets.ingest.field_counts import RecordScan

_READER_MISFIT = re.compile(
    r"could not parse `(?P<value>.*?)` as dtype `[^`]+` at column '.*?' "
    r"\(column number (?P<number>\d+)\)",
    re.DOTALL,
)
_CONVERTER_MISFIT = re.compile(r"chatdata-ingest column (?P<index>\d+) misfit: (?P<value>.*)")
_NATIVE_PREFIX = "__chatdata_ingest_column_"
_NATIVE_MISFIT = re.compile(
    rf"conversion from `str` to `[^`]+` failed in column '{_NATIVE_PREFIX}(?P<index>\d+)' "
    r"for (?P<count>\d+) out of \d+ values: \[\"(?P<values>.*)",
    re.DOTALL,
)


class ColumnMisfit(ValueError):
    """Raised inside the conversion when a value does not fit its column's plan.

    Polars re-raises an exception from a Python function by calling its class with the
    message, so the column and value travel in the message (see `column_misfit`)."""


def column_misfit(index: int, value: str | None) -> ColumnMisfit:
    """The exception for a value of column `index` (0-based) that does not fit."""
    return ColumnMisfit(f"chatdata-ingest column {index} misfit: {value!r}")


def native_alias(index: int) -> str:
    """The name a natively converted column (0-based `index`) carries while it converts,
    so that Polars' conversion error says which column failed (see `find_misfit`)."""
    return f"{_NATIVE_PREFIX}{index}"


@dataclass(frozen=True)
class Misfit:
    """The column (0-based) and value that failed to parse."""

    index: int
    value: str | None


def find_misfit(exc: BaseException, quote: str) -> Misfit | None:
    """The failing column and value if `exc` is a parse failure, else None (`quote` is the
    file's quote character: the reader names a quoted field as it is written)."""
    text = str(exc)
    converter = _CONVERTER_MISFIT.search(text)
    if converter:
        return Misfit(int(converter.group("index")), _unrepr(converter.group("value")))
    reader = _READER_MISFIT.search(text)
    if reader:
        return Misfit(int(reader.group("number")) - 1, _unquote(reader.group("value"), quote))
    native = _NATIVE_MISFIT.search(text)
    if native:
        return Misfit(int(native.group("index")), _first_listed(native))
    return None


def _first_listed(native: re.Match[str]) -> str | None:
    """The first failing value Polars lists, e.g. `["2020-13-01", "x"]`.

    Polars does not escape the values: a lone value ends where the list is followed by
    Polars' hints (or the message ends), the first of several at the first `", "`. A value
    that itself holds those comes out cut; the plan widened for it then fails again on the
    next pass, and widening ends at text, which holds anything."""
    values = native.group("values")
    if native.group("count") != "1":
        end = values.find('", "')
    elif (end := values.find('"]\n')) < 0:
        end = values.rfind('"]')
    return values[:end] if end >= 0 else None


def _unquote(field: str, quote: str) -> str:
    """The value of a field the reader names as written in the file: without the
    surrounding quotes, and with each doubled quote inside read as one."""
    if len(field) >= 2 and field[0] == quote and field[-1] == quote:
        return field[1:-1].replace(quote * 2, quote)
    return field


def _unrepr(text: str) -> str | None:
    first_line = text.splitlines()[0] if text else ""
    try:
        value = ast.literal_eval(first_line)
    except (ValueError, SyntaxError):
        return first_line
    return value if isinstance(value, str) else None


def is_too_many_fields(exc: BaseException) -> bool:
    """Polars' error for a record with more fields than the schema."""
    return "more fields than defined" in str(exc)


def is_invalid_utf8(exc: BaseException) -> bool:
    """Polars' error for bytes that are not UTF-8."""
    return "invalid utf-8" in str(exc).lower()


def explain_read_error(exc: BaseException, scan: RecordScan, width: int) -> IngestError:
    """The clearest message for a failed read, using an exact scan of the records."""
    if scan.long_record is not None:
        line, fields = scan.long_record
        return IngestError(
            f"Line {format_count(line)} has {format_count(fields)} fields, expected "
            f"{format_count(width)} (as many as the header). A value may contain an "
            "unquoted delimiter."
        )
    if scan.quote_problem_line is not None:
        return IngestError(
            f"A quoted value that starts on line {format_count(scan.quote_problem_line)} "
            "is never closed properly; check the quote characters around it."
        )
    return IngestError(f"The file could not be read as a table: {short_text(exc)}")
