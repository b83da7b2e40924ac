"""What the analyst decided to do for a question: an intent and its parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Condition:
    """A row filter: `column op value` (`between` takes a pair, `in` a list, `year` a year)."""

    column: str
    op: str
    value: Any


@dataclass
class Plan:
    """One analysis: intent name, columns by role, filters and options."""

    intent: str
    columns: list[str] = field(default_factory=list)
    group: str | None = None
    stats: list[str] = field(default_factory=list)
    filters: list[Condition] = field(default_factory=list)
    top_n: int | None = None
    descending: bool = True
    options: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """A short English description (used in the plan sentence and in tests)."""
        parts = [self.intent.replace("_", " ")]
        if self.stats:
            parts.append("/".join(self.stats))
        if self.columns:
            parts.append("of " + ", ".join(self.columns))
        if self.group:
            parts.append(f"by {self.group}")
        if self.filters:
            parts.append("where " + " and ".join(_condition_text(c) for c in self.filters))
        return " ".join(parts)


def _condition_text(condition: Condition) -> str:
    if condition.op == "between":
        low, high = condition.value
        return f"{condition.column} between {low} and {high}"
    if condition.op == "in":
        return f"{condition.column} in {', '.join(str(v) for v in condition.value)}"
    if condition.op == "year":
        return f"year of {condition.column} = {condition.value}"
    return f"{condition.column} {condition.op} {condition.value}"
