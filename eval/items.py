"""One evaluation question and the helpers its label code uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

Label = Callable[[pd.DataFrame], list[list[str]]]


@dataclass
class Item:
    """A question in the InfiAgent-DABench layout plus the code that computes its label."""

    id: int
    file_name: str
    question: str
    constraints: str
    format: str
    concepts: list[str]
    level: str
    label: Label


def fmt(value: object, places: int = 2) -> str:
    """A label value as the answer should write it (rounded floats, whole numbers as ints)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{round(value, places):.{places}f}"
    try:
        number = float(value)  # numpy scalars
    except (TypeError, ValueError):
        return str(value)
    return fmt(number, places)


def rounded(places: int = 2) -> str:
    """The format sentence for a number rounded to `places` decimals."""
    return f"a number rounded to {places} decimal places"
