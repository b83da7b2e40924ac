"""The dataset's columns as the built-in analyst sees them: kind, words, known values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chatdata.chat.llm.base import DatasetContext
from chatdata.chat.llm.builtin.lexicon import UNIT_TOKENS
from chatdata.chat.llm.builtin.text import expand, singular, split_identifier


@dataclass(frozen=True)
class Column:
    """One column: its name, kind (numeric, categorical, datetime, text, id) and words."""

    name: str
    kind: str
    data_type: str
    distinct: int | None
    nulls: int
    words: tuple[str, ...]
    values: tuple[str, ...] = ()
    date_text: bool = False
    minimum: object = None
    maximum: object = None

    @property
    def core_words(self) -> tuple[str, ...]:
        """The words without unit suffixes (`body_mass_g` -> body, mass)."""
        core = tuple(w for w in self.words if w not in UNIT_TOKENS)
        return core or self.words

    @property
    def is_numeric(self) -> bool:
        """Numbers that can be averaged."""
        return self.kind == "numeric"

    @property
    def is_groupable(self) -> bool:
        """Few distinct values: a sensible group or category."""
        if self.kind in {"categorical", "boolean"}:
            return True
        return self.distinct is not None and self.distinct <= 20 and self.kind == "numeric"


@dataclass
class Schema:
    """All columns of the dataset plus its size."""

    name: str
    rows: int
    columns: list[Column]
    df_is_sample: bool
    by_name: dict[str, Column] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name = {c.name: c for c in self.columns}

    def numeric(self) -> list[Column]:
        """Numeric columns in schema order (ids left out)."""
        return [c for c in self.columns if c.is_numeric]

    def categorical(self) -> list[Column]:
        """Categorical and boolean columns in schema order."""
        return [c for c in self.columns if c.kind in {"categorical", "boolean"}]

    def datetimes(self) -> list[Column]:
        """Date and datetime columns (including text that holds dates)."""
        return [c for c in self.columns if c.kind == "datetime"]


def schema_from_context(dataset: DatasetContext) -> Schema:
    """Build the analyst's schema from the provider request's dataset context."""
    samples: dict[str, list[Any]] = {}
    for row in dataset.sample_rows:
        for key, value in row.items():
            samples.setdefault(key, []).append(value)
    columns = [_column(info, samples.get(str(info.get("name")), [])) for info in dataset.columns]
    return Schema(dataset.name, dataset.row_count, columns, dataset.df_is_sample)


def _column(info: dict[str, Any], sample: list[Any]) -> Column:
    name = str(info.get("name"))
    stats = info.get("statistics") or {}
    data_type = str(info.get("data_type") or stats.get("logical_type") or "string")
    semantic = info.get("semantic_type")
    distinct = stats.get("distinct_count")
    words = tuple(singular(expand(w)) for w in split_identifier(name))
    kind = _kind(data_type, semantic, bool(info.get("pii")))
    values: list[str] = []
    if kind in {"categorical", "boolean"}:
        top = [t.get("value") for t in stats.get("top_values") or []]
        values = [str(v) for v in [*top, *sample] if v is not None and str(v).strip()]
    return Column(
        name=name,
        kind=kind,
        data_type=data_type,
        distinct=distinct if isinstance(distinct, int) else None,
        nulls=int(stats.get("null_count") or 0),
        words=words,
        values=tuple(dict.fromkeys(values)),
        date_text=data_type == "string" and semantic == "date",
        minimum=stats.get("min"),
        maximum=stats.get("max"),
    )


def _kind(data_type: str, semantic: str | None, pii: bool) -> str:
    if pii:
        return "text"
    if data_type in {"integer", "float"}:
        return "id" if semantic == "id" else "numeric"
    if data_type in {"date", "datetime"} or semantic == "date":
        return "datetime"
    if data_type == "boolean":
        return "boolean"
    if semantic == "id":
        return "id"
    if semantic in {None, "category", "currency", "percentage"}:
        return "categorical"
    return "text"
