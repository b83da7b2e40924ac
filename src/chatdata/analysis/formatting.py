"""Number formatting for the plain-language summaries."""

from __future__ import annotations

import math


def fmt_num(value: float | None, digits: int = 4) -> str:
    """Format a number with `digits` significant digits; None/NaN as 'n/a'."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.{digits}g}"


def fmt_p(p_value: float | None) -> str:
    """Format a p-value with its relation: '= 0.01234', or '< 0.0001' when tiny."""
    if p_value is None or not math.isfinite(p_value):
        return "= n/a"
    if p_value < 0.0001:
        return "< 0.0001"
    return f"= {p_value:.4g}"


def fmt_int(value: int) -> str:
    """Format a count with thousands separators (12,000,000)."""
    return f"{value:,}"


def fmt_pct(fraction: float | None, digits: int = 2) -> str:
    """Format a fraction as a percentage (0.1234 -> '12.34%')."""
    if fraction is None or not math.isfinite(fraction):
        return "n/a"
    return f"{fraction * 100:.{digits}f}%"
