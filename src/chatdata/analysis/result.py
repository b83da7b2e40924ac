"""The one result shape every analysis function returns, and JSON-safety helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chatdata.jsonsafe import json_safe

__all__ = ["AnalysisResult", "json_safe", "make_table"]


def make_table(title: str, columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    """Build a small table in the `{"title", "columns", "rows"}` shape, JSON-safe."""
    return {"title": title, "columns": list(columns), "rows": json_safe(rows)}


@dataclass
class AnalysisResult:
    """A structured, JSON-serialisable outcome of one analysis.

    `data` holds the numbers, `tables` small tables, `figures` Plotly figure dicts, and
    `sample_note` says when the numbers were computed on a sample rather than the full data.
    Every field is made JSON-safe on construction (numpy scalars unwrapped, NaN -> None).
    """

    kind: str
    summary: str
    data: dict[str, Any] = field(default_factory=dict)
    tables: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    sample_note: str | None = None

    def __post_init__(self) -> None:
        self.data = json_safe(self.data)
        self.tables = json_safe(self.tables)
        self.figures = json_safe(self.figures)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a plain dict ready for `json.dumps`."""
        return {
            "kind": self.kind,
            "summary": self.summary,
            "data": self.data,
            "tables": self.tables,
            "figures": self.figures,
            "sample_note": self.sample_note,
        }
