"""How one text column becomes typed: the plan, its converter and how it widens.

A `ColumnPlan` is the type a column is read as. Plain integers, floats, booleans and ISO
dates are parsed by the CSV reader itself (fast path); every other typed plan reads text
and converts it with `ColumnPlan.convert`, which is strict: a value that does not fit
raises `ConversionFailed`, so a wrong guess is never silently turned into nulls. `widen` gives the
next, looser plan that accepts the value that did not fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

NULL_TOKENS: tuple[str, ...] = (
    "",
    "NA",
    "N/A",
    "n/a",
    "na",
    "NULL",
    "null",
    "Null",
    "None",
    "none",
    "NaN",
    "nan",
    "-",
    "--",
    "#N/A",
)
TRUE_WORDS = ("true", "yes")
FALSE_WORDS = ("false", "no")
BOOLEAN_WORDS: dict[str, bool] = {word: True for word in TRUE_WORDS} | {
    word: False for word in FALSE_WORDS
}
THOUSANDS_COMMA_RE = r"^[+-]?\d{1,3}(,\d{3})*(\.\d+)?$|^[+-]?\d+(\.\d+)?$"
DECIMAL_COMMA_RE = r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$"
ISO_DATE_FORMAT = "%Y-%m-%d"
_ISO_DATE_SEPARATORS = r"[/.]"
"""ISO dates may also be written `2020/01/05` or `2020.01.05`, as the CSV reader's own
date parser (the fast path) takes them."""
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
_PARSE_FAILURE = re.compile(r"Failed to parse string: '(.*?)' as a scalar")


class Kind(StrEnum):
    """The type a column ends up as."""

    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"


class NumberStyle(StrEnum):
    """How numbers are written: `1234.5`, `1,234.5` or `1.234,5` / `3,14`."""

    PLAIN = "plain"
    THOUSANDS_COMMA = "thousands_comma"
    DECIMAL_COMMA = "decimal_comma"


ISO = "iso"


class ConversionFailed(ValueError):
    """A value does not fit the plan; `value` is the first one found (None if unknown)."""

    def __init__(self, value: str | None) -> None:
        super().__init__(f"value {value!r} does not fit")
        self.value = value


@dataclass(frozen=True)
class ColumnPlan:
    """How to read one column; the default is text."""

    kind: Kind = Kind.STRING
    number_style: NumberStyle = NumberStyle.PLAIN
    date_format: str = ISO
    """ISO 8601 (dates as `%Y-%m-%d`, datetimes by Arrow's fast parser) or a chrono format
    such as `%d.%m.%Y`."""
    utc: bool = False
    """ISO datetimes with a zone offset are read as UTC instants."""
    strip: bool = False
    """Values carry spaces around them that are removed before converting."""
    tokens: bool = False
    """Values include null tokens (`NA`, `-`, ...) that the reader's own parser rejects."""
    yes_no: bool = False
    """Booleans are written yes/no (the reader's own parser knows only true/false)."""

    @property
    def reader_dtype(self) -> type[pl.DataType]:
        """The dtype the CSV reader parses into; typed plans with a converter read text."""
        if self.strip or self.tokens or self.number_style is not NumberStyle.PLAIN:
            return pl.String
        if self.kind is Kind.INTEGER:
            return pl.Int64
        if self.kind is Kind.FLOAT:
            return pl.Float64
        if self.kind is Kind.BOOLEAN and not self.yes_no:
            return pl.Boolean
        if self.kind is Kind.DATE and self.date_format == ISO:
            # the reader's own date parser costs next to nothing; it also takes `/` or
            # `.` between year, month and day, still in that order
            return pl.Date
        return pl.String

    @property
    def needs_converter(self) -> bool:
        """True when the reader reads text that `convert` must turn into the final type."""
        return self.kind is not Kind.STRING and self.reader_dtype == pl.String

    def describe(self) -> str:
        """A short label for notes and logs, e.g. `date (%d.%m.%Y)`."""
        if self.kind in (Kind.DATE, Kind.DATETIME):
            return f"{self.kind} ({self.date_format})"
        if self.kind in (Kind.INTEGER, Kind.FLOAT) and self.number_style is not NumberStyle.PLAIN:
            return f"{self.kind} ({self.number_style})"
        return str(self.kind)

    def convert(self, values: pl.Series) -> pl.Series:
        """Convert text to this plan's type; raise `ConversionFailed` if any value misfits.

        Null tokens become null first, then surrounding spaces go (with `strip`)."""
        text = null_tokens_to_null(values)
        if self.strip:
            text = _strip(text)
        if self.kind is Kind.STRING:
            return text
        if self.kind in (Kind.INTEGER, Kind.FLOAT):
            return _to_number(text, self.kind, self.number_style)
        if self.kind is Kind.BOOLEAN:
            return _to_boolean(text)
        if self.kind is Kind.DATETIME and self.date_format == ISO:
            return _iso_to_datetime(text, self.utc)
        if self.kind is Kind.DATE and self.date_format == ISO:
            text = text.str.replace_all(_ISO_DATE_SEPARATORS, "-")
        return _formatted_to_temporal(text, self.kind, self.chrono_format)

    @property
    def chrono_format(self) -> str:
        """The chrono format of a date or non-ISO datetime plan (ISO dates are `%Y-%m-%d`)."""
        return ISO_DATE_FORMAT if self.date_format == ISO else self.date_format

    def native_expr(self, name: str, alias: str) -> pl.Expr | None:
        """This plan's conversion of column `name` as a Polars expression, when Polars alone
        converts exactly as `convert` does (dates, and datetimes with a chrono format);
        else None.

        A native conversion keeps Python (and its lock) out of the streaming pass. Its
        failure names the column `alias`, so the caller can tell which column misfit."""
        temporal = self.kind is Kind.DATE or (
            self.kind is Kind.DATETIME and self.date_format != ISO
        )
        if not temporal:
            return None
        text = null_tokens_expr(name)
        if self.strip:
            stripped = text.str.strip_chars()
            text = pl.when(stripped == "").then(None).otherwise(stripped)
        if self.kind is Kind.DATE and self.date_format == ISO:
            text = text.str.replace_all(_ISO_DATE_SEPARATORS, "-")
        if self.kind is Kind.DATE:
            converted = text.alias(alias).str.to_date(self.chrono_format, strict=True)
        else:
            converted = text.alias(alias).str.to_datetime(self.date_format, time_unit="us")
        return converted.alias(name)

    def accepts(self, values: pl.Series) -> bool:
        """True when every non-null value converts."""
        try:
            self.convert(values)
        except ConversionFailed:
            return False
        return True

    def widen(self, failing_value: str | None) -> ColumnPlan:
        """The next looser plan that accepts `failing_value` (text when nothing else does)."""
        for candidate in self._looser_plans(failing_value):
            if failing_value is None or candidate.accepts(pl.Series([failing_value])):
                return candidate
        return ColumnPlan()

    def _looser_plans(self, failing_value: str | None) -> list[ColumnPlan]:
        plans = [replace(self, tokens=True), replace(self, strip=True)]
        if self.kind is Kind.BOOLEAN:
            plans.append(replace(self, yes_no=True))
        too_long = failing_value is not None and _WHOLE_NUMBER.fullmatch(failing_value.strip())
        if self.kind is Kind.INTEGER and not too_long:  # a 25-digit id must stay exact
            plans.append(replace(self, kind=Kind.FLOAT))
        if self.kind is Kind.DATE and self.date_format == ISO:
            plans.append(replace(self, kind=Kind.DATETIME))
        return [plan for plan in plans if plan != self]


def null_tokens_to_null(values: pl.Series) -> pl.Series:
    """Values as a person means them: null tokens (`NA`, `-`, ...) become null."""
    return values.set(values.is_in(NULL_TOKENS), None)


def null_tokens_expr(name: str) -> pl.Expr:
    """The column with null tokens turned into null, as a streaming expression."""
    column = pl.col(name)
    return pl.when(column.is_in(NULL_TOKENS)).then(None).otherwise(column).alias(name)


def _strip(values: pl.Series) -> pl.Series:
    stripped = values.str.strip_chars()
    return stripped.set(stripped == "", None)


def _first_failure(values: pl.Series, converted: pl.Series) -> str | None:
    failed = values.filter(converted.is_null() & values.is_not_null())
    return failed[0] if len(failed) else None


def _to_number(text: pl.Series, kind: Kind, style: NumberStyle) -> pl.Series:
    dtype = pl.Int64 if kind is Kind.INTEGER else pl.Float64
    normalized = text
    if style is not NumberStyle.PLAIN:
        pattern = THOUSANDS_COMMA_RE if style is NumberStyle.THOUSANDS_COMMA else DECIMAL_COMMA_RE
        misfit = text.filter(~text.str.contains(pattern) & text.is_not_null())
        if len(misfit):
            raise ConversionFailed(misfit[0])
        if style is NumberStyle.THOUSANDS_COMMA:
            normalized = text.str.replace_all(",", "", literal=True)
        else:
            normalized = text.str.replace_all(".", "", literal=True).str.replace(
                ",", ".", literal=True
            )
    converted = normalized.cast(dtype, strict=False)
    if converted.null_count() != text.null_count():
        raise ConversionFailed(_first_failure(text, converted))
    return converted


def _to_boolean(text: pl.Series) -> pl.Series:
    converted = text.str.to_lowercase().replace_strict(
        BOOLEAN_WORDS, default=None, return_dtype=pl.Boolean
    )
    if converted.null_count() != text.null_count():
        raise ConversionFailed(_first_failure(text, converted))
    return converted


def _iso_to_datetime(text: pl.Series, utc: bool) -> pl.Series:
    """Arrow's ISO 8601 parser is about ten times faster than a chrono format."""
    array = text.to_arrow().cast(pa.string())
    try:
        stamps = pc.cast(array, pa.timestamp("us", tz="UTC" if utc else None))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        match = _PARSE_FAILURE.search(str(exc))
        raise ConversionFailed(match.group(1) if match else None) from exc
    return pl.Series(text.name, stamps)


def _formatted_to_temporal(text: pl.Series, kind: Kind, date_format: str) -> pl.Series:
    if kind is Kind.DATE:
        converted = text.str.to_date(date_format, strict=False)
    else:
        converted = text.str.to_datetime(date_format, strict=False, time_unit="us")
    if converted.null_count() != text.null_count():
        raise ConversionFailed(_first_failure(text, converted))
    return converted
