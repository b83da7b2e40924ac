"""Keyword tests on a question's tokens, shared by the intent rules."""

from __future__ import annotations

STAT_WORDS: dict[str, str] = {
    "mean": "mean", "average": "mean", "avg": "mean", "averages": "mean", "means": "mean",
    "median": "median", "medians": "median", "sum": "sum", "total": "sum", "totals": "sum",
    "max": "max", "maximum": "max", "min": "min", "minimum": "min", "std": "std",
    "stdev": "std", "variance": "var", "var": "var", "count": "count", "counts": "count",
}  # fmt: skip
PHRASE_STATS: tuple[tuple[str, str], ...] = (
    ("standard deviation", "std"),
    ("how many", "count"),
    ("number of", "count"),
    ("in total", "sum"),
    ("sum of", "sum"),
)
DESCENDING_WORDS = frozenset(
    {"highest", "largest", "most", "top", "biggest", "greatest", "best", "maximum", "max"}
    | {"heaviest", "longest", "tallest", "oldest", "richest", "hottest", "wettest", "latest"}
)
ASCENDING_WORDS = frozenset(
    {"lowest", "smallest", "least", "bottom", "fewest", "worst", "min", "minimum"}
    | {"lightest", "shortest", "youngest", "poorest", "coldest", "driest", "earliest"}
)
GROUP_WORDS = frozenset({"by", "per", "each", "across", "every", "group", "grouped"})


class Words:
    """A question's tokens with phrase tests."""

    def __init__(self, tokens: list[str], column_positions: frozenset[int] = frozenset()) -> None:
        self.tokens = tokens
        self.text = " " + " ".join(tokens) + " "
        self.column_positions = column_positions

    def has(self, *phrases: str) -> bool:
        """True when any phrase occurs as whole words."""
        return any(f" {phrase} " in self.text for phrase in phrases)

    def starts(self, *prefixes: str) -> bool:
        """True when any token starts with one of `prefixes`."""
        return any(token.startswith(prefixes) for token in self.tokens)

    def index(self, *phrases: str) -> int:
        """Token position of the first phrase found (-1 when none)."""
        best = -1
        for phrase in phrases:
            parts = phrase.split()
            for i in range(len(self.tokens) - len(parts) + 1):
                if self.tokens[i : i + len(parts)] == parts and (best == -1 or i < best):
                    best = i
        return best

    def stats(self) -> list[str]:
        """Aggregations named, in order of first appearance."""
        found: list[tuple[int, str]] = []
        for position, token in enumerate(self.tokens):
            if token in STAT_WORDS and position not in self.column_positions:
                found.append((position, STAT_WORDS[token]))
        for phrase, stat in PHRASE_STATS:
            position = self.index(phrase)
            if position >= 0 and position not in self.column_positions:
                found.append((position, stat))
        ordered = [stat for _, stat in sorted(found)]
        return list(dict.fromkeys(ordered))

    def descending(self) -> bool | None:
        """True for highest/most, False for lowest/least, None when neither is said."""
        for index, token in enumerate(self.tokens):
            if index and self.tokens[index - 1] == "at":  # `at least 5` is a condition
                continue
            if token in DESCENDING_WORDS:
                return True
            if token in ASCENDING_WORDS:
                return False
        return None
