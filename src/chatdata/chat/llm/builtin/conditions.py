"""Numbers in a question: filters (`price > 100`, `in 2023`), top N, decimals, k, horizon."""
# ruff: noqa: RUF001 - Chinese answers use full-width punctuation on purpose

from __future__ import annotations

import re

from chatdata.chat.llm.builtin.columns import Resolution
from chatdata.chat.llm.builtin.plan import Condition
from chatdata.chat.llm.builtin.schema import Schema

NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
OPERATOR_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    ((">=",), ">="), (("<=",), "<="), (("!=",), "!="), (("==",), "=="), ((">",), ">"),
    (("<",), "<"), (("=",), "=="), (("at", "least"), ">="), (("at", "most"), "<="),
    (("no", "more", "than"), "<="), (("no", "less", "than"), ">="),
    (("greater", "than", "or", "equal", "to"), ">="), (("less", "than", "or", "equal", "to"), "<="),
    (("greater", "than"), ">"), (("more", "than"), ">"), (("larger", "than"), ">"),
    (("higher", "than"), ">"), (("bigger", "than"), ">"), (("above",), ">"), (("over",), ">"),
    (("exceeds",), ">"), (("exceeding",), ">"), (("exceed",), ">"), (("less", "than"), "<"),
    (("fewer", "than"), "<"), (("smaller", "than"), "<"), (("lower", "than"), "<"),
    (("below",), "<"), (("under",), "<"), (("equal", "to"), "=="), (("equals",), "=="),
    (("not", "equal", "to"), "!="),
)  # fmt: skip
LINKING = frozenset({"is", "are", "was", "were", "of", "value", "values", "the", "a", "with", "be"})
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "twenty": 20,
}  # fmt: skip
DECIMAL_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "两": 2}
CHINESE_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def number(token: str) -> float | None:
    """A numeric token's value (`12`, `3.5`, `two`), else None."""
    if NUMBER.match(token):
        return float(token)
    if token in WORD_NUMBERS:
        return float(WORD_NUMBERS[token])
    return None


def as_int_or_float(value: float) -> int | float:
    """12.0 -> 12; 3.5 stays."""
    return int(value) if value.is_integer() else value


def numeric_filters(resolution: Resolution, schema: Schema) -> list[Condition]:
    """`<column> <comparison> <number>` and `<column> between a and b` conditions."""
    words = resolution.tokens
    found: list[Condition] = []
    for mention in resolution.mentions:
        column = schema.by_name.get(mention.column)
        if column is None or column.kind not in {"numeric", "datetime"}:
            continue
        position = mention.end
        while position < len(words) and words[position] in LINKING:
            position += 1
        if column.is_groupable and position < len(words) and mention.end == position:
            value = number(words[position])  # `class 1`, `sex 2`: a code of a few-valued column
            if value is not None:
                found.append(Condition(mention.column, "==", as_int_or_float(value)))
                continue
        for skip in range(3):  # `alcohol content above 13`: a word or two may intervene
            if position + skip < len(words) and number(words[position + skip]) is not None:
                break
            condition = _comparison_at(words, position + skip, mention.column)
            if condition is not None:
                found.append(condition)
                break
    return found


def _comparison_at(words: list[str], position: int, column: str) -> Condition | None:
    if position < len(words) and words[position] == "between":
        low = number(words[position + 1]) if position + 1 < len(words) else None
        high = number(words[position + 3]) if position + 3 < len(words) else None
        if low is not None and high is not None:
            return Condition(column, "between", (as_int_or_float(low), as_int_or_float(high)))
    for phrase, op in OPERATOR_PHRASES:
        end = position + len(phrase)
        if tuple(words[position:end]) == phrase and end < len(words):
            value = number(words[end])
            if value is not None:
                return Condition(column, op, as_int_or_float(value))
    return None


AGE_PHRASES = {("older", "than"): ">", ("younger", "than"): "<", ("aged", "over"): ">",
               ("aged", "under"): "<"}  # fmt: skip


def age_filter(resolution: Resolution, schema: Schema) -> Condition | None:
    """`older than 60` -> age > 60 when the table has an `age` column."""
    age = next((c for c in schema.columns if c.words == ("age",) and c.is_numeric), None)
    words = resolution.tokens
    for index in range(len(words) - 2):
        op = AGE_PHRASES.get((words[index], words[index + 1]))
        value = number(words[index + 2])
        if age is not None and op is not None and value is not None:
            return Condition(age.name, op, as_int_or_float(value))
    return None


def year_filter(resolution: Resolution, schema: Schema) -> Condition | None:
    """`in 2007` -> the `year` column equals 2007, or the year of the date column."""
    words = resolution.tokens
    for index, word in enumerate(words[:-1]):
        if word not in {"in", "for", "during", "year"} or not re.fullmatch(
            r"\d{4}", words[index + 1]
        ):
            continue
        year = int(words[index + 1])
        if not 1800 <= year <= 2100:
            continue
        for column in schema.columns:
            if column.words == ("year",) and column.is_numeric:
                return Condition(column.name, "==", year)
        dates = schema.datetimes()
        if dates:
            return Condition(dates[0].name, "year", year)
    return None


def top_n(words: list[str]) -> tuple[int | None, bool]:
    """`top 5` / `5 highest` -> (5, descending); `bottom 3` / `3 lowest` -> (3, ascending)."""
    for index, word in enumerate(words):
        nearby = words[index + 1] if index + 1 < len(words) else ""
        before = words[index - 1] if index else ""
        if word in {"top", "first", "largest", "highest", "bottom", "lowest", "smallest"}:
            ascending = word in {"bottom", "lowest", "smallest"}
            value = number(nearby)
            if value is None and word in {"top", "bottom"}:
                continue
            if value is None:
                value = number(before)
            if value is not None and value < 1000:
                return int(value), not ascending
    return None, True


def number_near(words: list[str], keys: set[str]) -> float | None:
    """A number just before or after one of `keys` (`threshold 2.5`, `3 standard deviations`)."""
    for index, word in enumerate(words):
        if word not in keys:
            continue
        for offset in (1, -1, 2):
            position = index + offset
            if 0 <= position < len(words) and (value := number(words[position])) is not None:
                return value
    return None


def decimals(question: str, default: int = 2) -> int:
    """Decimal places the question asks for (`rounded to 3 decimal places`, `保留两位小数`)."""
    text = question.lower()
    match = re.search(r"(\d+|one|two|three|four|five|six)\s*(?:decimal|digit|dp\b|d\.p\.)", text)
    if match:
        word = match.group(1)
        return int(word) if word.isdigit() else DECIMAL_WORDS[word]
    match = re.search(r"保留\s*(\d+|[一两二三四五六])\s*位", question)
    if match:
        word = match.group(1)
        return int(word) if word.isdigit() else CHINESE_DIGITS[word]
    if "integer" in text or "whole number" in text or "取整" in question:
        return 0
    return default


def count_after(words: list[str], keys: set[str], default: int | None = None) -> int | None:
    """A number right before or after one of `keys` (`3 clusters`, `k = 4`, `next 12 months`)."""
    for index, word in enumerate(words):
        if word not in keys:
            continue
        for offset in (-1, 1, 2):
            position = index + offset
            if 0 <= position < len(words):
                value = number(words[position])
                if value is not None and value.is_integer() and 0 < value < 1000:
                    return int(value)
    return default


def alpha(question: str) -> float:
    """Significance level named in the question (`alpha = 0.01`, `1% level`), default 0.05."""
    match = re.search(r"(?:alpha|significance level|α)\s*(?:of|=|:)?\s*(0?\.\d+)", question, re.I)
    if match:
        return float(match.group(1))
    match = re.search(r"(\d+(?:\.\d+)?)\s*%\s*(?:significance|level)", question, re.I)
    if match:
        return float(match.group(1)) / 100
    return 0.05
