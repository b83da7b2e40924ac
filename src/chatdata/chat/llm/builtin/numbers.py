"""How numbers read in answers: thousands separators, sensible decimals, p-values."""

from __future__ import annotations

import math
from typing import Any


def num(value: Any, places: int = 2) -> str:
    """`1234.5678` -> `1,234.57`; whole numbers without decimals; tiny numbers in 3 digits."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "n/a"
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    if 0 < abs(number) < 10 ** (-places):
        return f"{number:.3g}"
    return f"{number:,.{places}f}"


def pval(value: Any) -> str:
    """A p-value: `0.0312`, or `1.2e-08` when tiny."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:.4f}" if number >= 0.0001 else f"{number:.2e}"


def pct(value: Any) -> str:
    """A percentage with two decimals."""
    try:
        return f"{float(value):.2f}%"
    except (TypeError, ValueError):
        return str(value)
