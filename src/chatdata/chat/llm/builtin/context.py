"""Everything the intent rules read about one question, computed once."""

from __future__ import annotations

from dataclasses import dataclass

from chatdata.chat.llm.builtin.columns import Resolution, resolve
from chatdata.chat.llm.builtin.conditions import age_filter, numeric_filters, year_filter
from chatdata.chat.llm.builtin.keywords import Words
from chatdata.chat.llm.builtin.plan import Condition
from chatdata.chat.llm.builtin.schema import Column, Schema

GROUP_WORDS = frozenset(
    {"by", "per", "each", "across", "every", "group", "grouped", "which", "among", "top", "bottom"}
)


@dataclass
class Question:
    """A parsed question: its text, tokens, resolved columns and filters."""

    raw: str
    schema: Schema
    resolution: Resolution
    words: Words
    numeric_conditions: list[Condition]
    year_condition: Condition | None

    @classmethod
    def parse(cls, raw: str, schema: Schema) -> Question:
        """Resolve columns and read the numbers of `raw`."""
        resolution = resolve(raw, schema)
        return cls(
            raw=raw,
            schema=schema,
            resolution=resolution,
            words=Words(resolution.tokens, _column_positions(resolution)),
            numeric_conditions=numeric_filters(resolution, schema)
            + _optional(age_filter(resolution, schema)),
            year_condition=year_filter(resolution, schema),
        )

    def mentioned(self) -> list[Column]:
        """Columns named in the question, in order."""
        return [self.schema.by_name[name] for name in self.resolution.columns()]

    def filter_columns(self) -> set[str]:
        """Columns used only to filter rows."""
        used = {c.column for c in self.numeric_conditions}
        if self.year_condition is not None:
            used.add(self.year_condition.column)
        return used

    def subject_columns(self) -> list[Column]:
        """Mentioned columns that are not only filters (all of them if that leaves none)."""
        mentioned = self.mentioned()
        rest = [c for c in mentioned if c.name not in self.filter_columns()]
        return rest or mentioned

    def numeric_subjects(self) -> list[Column]:
        """Numeric subject columns."""
        return [c for c in self.subject_columns() if c.is_numeric]

    def value_filters(self, skip: set[str] | None = None) -> list[Condition]:
        """Equality filters from category values named in the question."""
        by_column: dict[str, list[str]] = {}
        for mention in self.resolution.values:
            if skip and mention.column in skip:
                continue
            by_column.setdefault(mention.column, [])
            if mention.value not in by_column[mention.column]:
                by_column[mention.column].append(mention.value)
        return [
            Condition(column, "==", values[0])
            if len(values) == 1
            else Condition(column, "in", values)
            for column, values in by_column.items()
        ]

    def all_filters(self, skip: set[str] | None = None) -> list[Condition]:
        """Numeric, year and value filters together."""
        found = list(self.numeric_conditions)
        if self.year_condition is not None:
            found.append(self.year_condition)
        return found + self.value_filters(skip)

    def group_column(self) -> Column | None:
        """The column after `by`/`per`/`for each`/`across` (or after `which`), if groupable;
        or a category followed by `with the highest ...` (`the day with the most tips`)."""
        words = self.resolution.tokens
        superlative = self.words.descending() is not None
        for mention in self.resolution.mentions:
            column = self.schema.by_name[mention.column]
            following = words[mention.end] if mention.end < len(words) else ""
            if superlative and column.is_groupable and following in {"with", "has", "had", "that"}:
                return column
        for index, word in enumerate(words):
            if word in GROUP_WORDS:
                name = self.resolution.column_after(index, window=3)
                if name is None:
                    continue
                column = self.schema.by_name[name]
                if column.is_groupable or word in {"by", "per"}:
                    return column
        return None


def _column_positions(resolution: Resolution) -> frozenset[int]:
    """Token positions inside column mentions (`total` of `total bill` is no aggregate)."""
    return frozenset(p for m in resolution.mentions for p in range(m.start, m.end))


def _optional(condition: Condition | None) -> list[Condition]:
    return [condition] if condition is not None else []
