"""Choose a `ColumnPlan` for each column from a sample of its text values.

Candidates are screened on a few distinct values with cheap patterns, then the first
candidate whose strict converter accepts every sampled value wins; nothing that would
lose information is chosen (ids like `00123` stay text, ambiguous day/month stays text).
The CSV conversion re-checks every value of the file with the same strict converters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import polars as pl

from chatdata.datasets.ingest.plans import (
    BOOLEAN_WORDS,
    ISO,
    NULL_TOKENS,
    ColumnPlan,
    Kind,
    NumberStyle,
    null_tokens_to_null,
)

SCREEN_VALUES = 200
MAX_SAFE_INTEGER_DIGITS = 18
_INTEGER = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|infinity)", re.IGNORECASE)
_LEADING_ZERO = re.compile(r"[+-]?0\d")
_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?|[+-]?\d+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?|[+-]?\d+(,\d+)?")
_COMMA_DECIMAL_EVIDENCE = re.compile(r"[+-]?\d+,(\d{1,2}|\d{4,})|[+-]?\d{1,3}(\.\d{3})+,\d+")
_DOT_DECIMAL_EVIDENCE = re.compile(r"[+-]?\d+\.(\d{1,2}|\d{4,})|[+-]?\d{1,3}(,\d{3})+\.\d+")
_DATE_SHAPE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}(:\d{2}){0,2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?"
)
_ZONE = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")

DATE_FORMATS = ("%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%Y", "%d-%m-%Y", "%m-%d-%Y")
TIME_FORMATS = (" %H:%M", " %H:%M:%S", " %H:%M:%S%.f", " %I:%M %p", " %I:%M:%S %p")
_SWAPPED_DAY_MONTH = {
    "%m/%d/%Y": "%d/%m/%Y",
    "%d/%m/%Y": "%m/%d/%Y",
    "%m-%d-%Y": "%d-%m-%Y",
    "%d-%m-%Y": "%m-%d-%Y",
}


@dataclass(frozen=True)
class NumberLocale:
    """Whether ambiguous numbers like `1,234` or `1.234` are read the European way."""

    decimal_comma: bool


@dataclass(frozen=True)
class ColumnSample:
    """A column's sampled text and its first distinct values, null tokens left out."""

    raw: pl.Series
    distinct: list[str]
    """Up to `SCREEN_VALUES` distinct non-null values that are not null tokens."""
    complete: bool
    """True when `distinct` holds every distinct value of the sample."""
    tokens: bool
    """The sample holds null tokens such as `NA` or `-`."""


def column_sample(raw: pl.Series) -> ColumnSample:
    """Collect the distinct values once per column (in order of first appearance), not once
    per check."""
    uniques = raw.drop_nulls().unique(maintain_order=True)
    is_token = uniques.is_in(NULL_TOKENS)
    values = uniques.filter(~is_token)
    return ColumnSample(
        raw=raw,
        distinct=values.head(SCREEN_VALUES).to_list(),
        complete=len(values) <= SCREEN_VALUES,
        tokens=bool(is_token.any()),
    )


def number_locale(columns: Iterable[ColumnSample], delimiter: str) -> NumberLocale:
    """Vote over all sampled values: `3,14` says decimal comma, `3.14` says decimal point."""
    comma = dot = 0
    for column in columns:
        for value in column.distinct:
            comma += bool(_COMMA_DECIMAL_EVIDENCE.fullmatch(value))
            dot += bool(_DOT_DECIMAL_EVIDENCE.fullmatch(value))
    if comma == dot:
        return NumberLocale(decimal_comma=delimiter == ";" and comma > 0)
    return NumberLocale(decimal_comma=comma > dot)


def infer_plan(sample: ColumnSample, locale: NumberLocale) -> tuple[ColumnPlan, str | None]:
    """The tightest plan every sampled value fits, and a note when a choice was withheld."""
    stripped = [value.strip() for value in sample.distinct if value.strip()]
    if not stripped:
        return ColumnPlan(), None
    strip = any(value != value.strip() for value in sample.distinct)
    for candidate in _candidates(stripped, locale):
        plan = replace(candidate, strip=strip, tokens=sample.tokens)
        if plan.kind is Kind.FLOAT and _only_whole_numbers(sample, stripped):
            break  # integers too long for 64 bits are ids: text, never rounded floats
        if _fits_every_value(plan, sample, stripped):
            return _unless_ambiguous(plan, sample.raw)
    return ColumnPlan(), None


def _fits_every_value(plan: ColumnPlan, sample: ColumnSample, stripped: list[str]) -> bool:
    """The strict converter decides, unless the screen saw every value of a plain type."""
    if sample.complete and _plainly_fits(plan, stripped):
        return True
    return plan.accepts(sample.raw)


def _plainly_fits(plan: ColumnPlan, values: Sequence[str]) -> bool:
    """Types whose screening patterns are exactly what their converters accept."""
    if plan.number_style is not NumberStyle.PLAIN:
        return False
    if plan.kind is Kind.INTEGER:
        return all(len(value.lstrip("+-")) <= MAX_SAFE_INTEGER_DIGITS for value in values)
    return plan.kind in (Kind.FLOAT, Kind.BOOLEAN)


def fits_text(plan: ColumnPlan, value: str) -> bool:
    """Whether one value fits `plan` (pattern checks for plain types, else the converter)."""
    text = value.strip() if plan.strip else value
    if plan.number_style is NumberStyle.PLAIN and plan.kind is Kind.INTEGER:
        return bool(_INTEGER.fullmatch(text)) and _plainly_fits(plan, [text])
    if plan.number_style is NumberStyle.PLAIN and plan.kind is Kind.FLOAT:
        return bool(_FLOAT.fullmatch(text))
    if plan.kind is Kind.BOOLEAN:
        return text.lower() in (BOOLEAN_WORDS if plan.yes_no else ("true", "false"))
    return plan.accepts(pl.Series([value]))


def _only_whole_numbers(sample: ColumnSample, stripped: list[str]) -> bool:
    if sample.complete:
        return all(_INTEGER.fullmatch(value) for value in stripped)
    present = null_tokens_to_null(sample.raw).drop_nulls().str.strip_chars()
    return bool(present.str.contains(r"^[+-]?\d+$").all())


def _candidates(values: Sequence[str], locale: NumberLocale) -> list[ColumnPlan]:
    if all(value.lower() in BOOLEAN_WORDS for value in values):
        yes_no = any(value.lower() not in ("true", "false") for value in values)
        return [ColumnPlan(kind=Kind.BOOLEAN, yes_no=yes_no)]
    numbers = _number_candidates(values, locale)
    if numbers:
        return numbers
    if all(_DATE_SHAPE.fullmatch(value) for value in values):
        return _date_candidates(values)
    return []


def _number_candidates(values: Sequence[str], locale: NumberLocale) -> list[ColumnPlan]:
    if any(_LEADING_ZERO.match(value) for value in values):
        return []  # identifiers such as 00123 keep their zeros
    integers = [ColumnPlan(kind=Kind.INTEGER)] if all(map(_INTEGER.fullmatch, values)) else []
    floats = [ColumnPlan(kind=Kind.FLOAT)] if all(map(_FLOAT.fullmatch, values)) else []
    grouped = _styled(values, NumberStyle.THOUSANDS_COMMA, _THOUSANDS_COMMA, ",")
    european = _styled(values, NumberStyle.DECIMAL_COMMA, _DECIMAL_COMMA, ",", ".")
    if locale.decimal_comma:
        return integers + european + floats + grouped
    return integers + floats + grouped + european


def _styled(
    values: Sequence[str], style: NumberStyle, pattern: re.Pattern[str], *marks: str
) -> list[ColumnPlan]:
    if not all(pattern.fullmatch(value) for value in values):
        return []
    if not any(mark in value for value in values for mark in marks):
        return []
    decimal_mark = "." if style is NumberStyle.THOUSANDS_COMMA else ","
    has_fraction = any(decimal_mark in value for value in values)
    kind = Kind.FLOAT if has_fraction else Kind.INTEGER
    plans = [ColumnPlan(kind=kind, number_style=style)]
    if kind is Kind.INTEGER:
        plans.append(ColumnPlan(kind=Kind.FLOAT, number_style=style))
    return plans


def _date_candidates(values: Sequence[str]) -> list[ColumnPlan]:
    plans: list[ColumnPlan] = []
    if all(_ISO_DATE.fullmatch(value) for value in values):
        plans.append(ColumnPlan(kind=Kind.DATE, date_format=ISO))
    if all(_ISO_DATE.fullmatch(value) or _ISO_DATETIME.fullmatch(value) for value in values):
        zoned = [bool(_ZONE.search(value)) for value in values if len(value) > 10]
        utc = bool(zoned) and all(zoned)
        plans.append(ColumnPlan(kind=Kind.DATETIME, date_format=ISO, utc=utc))
    probe = pl.Series(values[:50])
    for date_format in DATE_FORMATS:
        date_plan = ColumnPlan(kind=Kind.DATE, date_format=date_format)
        if date_plan.accepts(probe):
            plans.append(date_plan)
        for time_format in TIME_FORMATS:
            stamp_plan = ColumnPlan(kind=Kind.DATETIME, date_format=date_format + time_format)
            if stamp_plan.accepts(probe):
                plans.append(stamp_plan)
    return plans


def _unless_ambiguous(plan: ColumnPlan, values: pl.Series) -> tuple[ColumnPlan, str | None]:
    """Day/month order must be decided by the values; 01/02/2024 alone could be either."""
    date_part, _, time_part = plan.date_format.partition(" ")
    swapped = _SWAPPED_DAY_MONTH.get(date_part)
    if swapped is None:
        return plan, None
    other_format = swapped + (" " + time_part if time_part else "")
    other = replace(plan, date_format=other_format)
    if not other.accepts(values):
        return plan, None
    return ColumnPlan(strip=False), "could be day/month or month/day, so it was kept as text"
