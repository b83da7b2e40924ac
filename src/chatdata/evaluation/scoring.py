"""Score answers written as `@name[value]` against labels: an exact string match
(case and surrounding space ignored), or numbers equal within 1e-6 (relative or absolute)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

ANSWER_TOKEN = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)\[([^\]\n]*)\]")
TOLERANCE = 1e-6


@dataclass(frozen=True)
class SubScore:
    """One expected sub-answer and what the answer said."""

    name: str
    expected: str
    got: str | None
    correct: bool


def parse_answers(text: str) -> dict[str, str]:
    """Every `@name[value]` in `text`; a name given twice keeps its last value."""
    return {name: value.strip() for name, value in ANSWER_TOKEN.findall(text)}


def values_match(got: str, expected: str) -> bool:
    """Same text, or numbers within the tolerance."""
    if got.strip().lower() == expected.strip().lower():
        return True
    left, right = _number(got), _number(expected)
    if left is None or right is None:
        return False
    if math.isnan(left) or math.isnan(right):
        return math.isnan(left) and math.isnan(right)
    return math.isclose(left, right, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", "").rstrip("%")
    try:
        return float(cleaned)
    except ValueError:
        return None


def score_answer(text: str, expected: list[tuple[str, str]]) -> list[SubScore]:
    """One `SubScore` per expected `(name, value)`."""
    given = parse_answers(text)
    return [
        SubScore(name, value, given.get(name), name in given and values_match(given[name], value))
        for name, value in expected
    ]
