"""The profile's result types: `ColumnProfile` and `DatasetProfile` (JSON-ready)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from chatdata.datasets.pii import PiiFinding


@dataclass
class ColumnProfile:
    """Statistics of one column; JSON-ready, with PII values masked."""

    name: str
    position: int
    dtype: str
    logical_type: str
    semantic_type: str | None
    nullable: bool
    null_count: int
    null_share: float
    distinct_count: int | None
    min: object
    max: object
    mean: float | None
    std: float | None
    quantiles: dict[str, object] | None
    histogram: dict[str, list[object]] | None
    top_values: list[dict[str, object]]
    sample_values: list[object]
    pii: PiiFinding | None

    def to_dict(self) -> dict[str, Any]:
        """The column profile as a JSON-serialisable dict."""
        return asdict(self)


@dataclass
class DatasetProfile:
    """Whole-dataset figures and the column profiles."""

    rows: int
    columns: int
    duplicate_rows: int | None
    memory_bytes: int
    file_size: int
    approximate: list[str] = field(default_factory=list)
    column_profiles: list[ColumnProfile] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The dataset profile as a JSON-serialisable dict."""
        return asdict(self)
