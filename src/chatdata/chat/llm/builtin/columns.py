"""Find the columns (and category values) a question talks about.

A column is recognised by its exact name, by its words in order (case, spaces,
underscores, plurals, abbreviations and synonyms ignored, small misspellings forgiven),
or by one distinctive word of it. A word that fits several columns equally is ambiguous.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from chatdata.chat.llm.builtin.lexicon import FUNCTION_WORDS, synonyms_of
from chatdata.chat.llm.builtin.schema import Column, Schema
from chatdata.chat.llm.builtin.text import (
    expand,
    normalise,
    singular,
    split_identifier,
    tokens,
    translate_chinese,
)

FILLERS = frozenset({"per", "of", "the", "in", "and"})
FIXED_PHRASES = (
    "over time", "how many", "number of", "count of", "value counts", "in total",
    "data type", "data types", "time series", "for each", "on average", "per cent",
)  # fmt: skip
WEEKDAYS_AND_MONTHS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"january", "february", "march", "april", "june", "july", "august", "september"}
    | {"october", "november", "december"}
)
WEAK_VALUES = frozenset({"yes", "no", "true", "false", "0", "1", "none", "other", "a", "i"})
FUZZY_CUTOFF = 0.84
SHIELD = "_"  # a blanked-out token that matches nothing


@dataclass(frozen=True)
class Mention:
    """A column named in the question, at token positions [start, end)."""

    column: str
    start: int
    end: int
    exact: bool


@dataclass(frozen=True)
class ValueMention:
    """A category value named in the question (`Adelie` of column `species`)."""

    column: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Ambiguity:
    """A word that could mean several columns."""

    term: str
    candidates: tuple[str, ...]


@dataclass
class Resolution:
    """What the question refers to, in token order."""

    tokens: list[str]
    mentions: list[Mention] = field(default_factory=list)
    values: list[ValueMention] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)

    def columns(self) -> list[str]:
        """Distinct column names in order of first mention."""
        return list(dict.fromkeys(m.column for m in sorted(self.mentions, key=_start)))

    def column_after(self, index: int, window: int = 4) -> str | None:
        """The first column mentioned within `window` tokens after position `index`."""
        for mention in sorted(self.mentions, key=_start):
            if index < mention.start <= index + window:
                return mention.column
        return None

    def column_before(self, index: int, window: int = 4) -> str | None:
        """The last column mentioned within `window` tokens before position `index`."""
        best: str | None = None
        for mention in sorted(self.mentions, key=_start):
            if index - window <= mention.end <= index:
                best = mention.column
        return best


def _start(mention: Mention) -> int:
    return mention.start


def question_tokens(question: str) -> list[str]:
    """The question as English keyword tokens (Chinese terms translated)."""
    text = translate_chinese(question)
    text = re.sub(r"(\d{4})\s*year", r" in \1 ", text)
    return tokens(normalise(text))


def resolve(question: str, schema: Schema) -> Resolution:
    """Columns, values and ambiguities in `question`."""
    words = question_tokens(_mark_exact_names(question, schema))
    resolution = Resolution(tokens=_unmark(words))
    _exact_mentions(words, schema, resolution)
    _value_mentions(words, schema, resolution)
    shielded = _shield_dataset_name(_shield_fixed_phrases(words), schema)
    _phrase_mentions(shielded, schema, resolution)
    _single_word_mentions(shielded, schema, resolution)
    resolution.mentions.sort(key=_start)
    resolution.values.sort(key=lambda v: v.start)
    return resolution


# ---------------------------------------------------------------- exact names


def _mark_exact_names(question: str, schema: Schema) -> str:
    """Replace exact column names (longest first) by `colrefN` markers."""
    order = sorted(range(len(schema.columns)), key=lambda i: -len(schema.columns[i].name))
    for index in order:
        name = schema.columns[index].name
        if len(name) < 2 or (name.isalpha() and name.islower() and name.isascii()):
            continue  # plain words are matched as words, with their plural forms
        pattern = re.compile(r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])", re.I)
        question = pattern.sub(f" colref{index} ", question)
    return question


def _unmark(words: list[str]) -> list[str]:
    return ["<col>" if re.fullmatch(r"colref\d+", w) else w for w in words]


def _exact_mentions(words: list[str], schema: Schema, resolution: Resolution) -> None:
    for position, word in enumerate(words):
        match = re.fullmatch(r"colref(\d+)", word)
        if match and int(match.group(1)) < len(schema.columns):
            name = schema.columns[int(match.group(1))].name
            resolution.mentions.append(Mention(name, position, position + 1, True))


def _shield_fixed_phrases(words: list[str]) -> list[str]:
    """Blank out phrases such as `over time` so their words never name a column."""
    shielded = list(words)
    for phrase in FIXED_PHRASES:
        parts = phrase.split()
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] == parts:
                for j in range(i, i + len(parts)):
                    shielded[j] = SHIELD
    return shielded


def _shield_dataset_name(words: list[str], schema: Schema) -> list[str]:
    """`the tips data`, `the wines`: the dataset's own name is no column."""
    names = {singular(w) for w in split_identifier(schema.name)}
    shielded = list(words)
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if singular(word) in names and following in {"data", "dataset", "table", "file", "csv"}:
            shielded[index] = SHIELD
    return shielded


def _taken(resolution: Resolution, start: int, end: int) -> bool:
    spans = [(m.start, m.end) for m in resolution.mentions] + [
        (v.start, v.end) for v in resolution.values
    ]
    return any(low < end and start < high for low, high in spans)


# ---------------------------------------------------------------- phrase matches


def word_matches(token: str, word: str) -> bool:
    """True when a question token stands for a column word."""
    if not token or token == SHIELD or token.startswith("colref"):
        return False
    base = singular(expand(token))
    if base == word or token == word:
        return True
    if word in synonyms_of(base):
        return True
    if len(base) >= 5 and len(word) >= 5:
        return difflib.SequenceMatcher(None, base, word).ratio() >= FUZZY_CUTOFF
    return False


def _phrase_at(words: list[str], start: int, core: tuple[str, ...]) -> int:
    """End position when `core` words match from `start` (fillers may sit between)."""
    position = start
    for index, word in enumerate(core):
        while index and position < len(words) and words[position] in FILLERS:
            position += 1
        if position >= len(words) or not word_matches(words[position], word):
            return -1
        position += 1
    return position


def _joined_at(words: list[str], start: int, core: tuple[str, ...]) -> bool:
    """`bodymass` or `flipperlength` written as one word (misspellings forgiven)."""
    if len(core) < 2:
        return False
    token, joined = words[start], "".join(core)
    if len(token) < 5 or token.startswith("colref"):
        return False
    return difflib.SequenceMatcher(None, token, joined).ratio() >= FUZZY_CUTOFF


def _phrase_mentions(words: list[str], schema: Schema, resolution: Resolution) -> None:
    found: list[tuple[int, int, int, str]] = []
    for column in schema.columns:
        core = column.core_words
        for start in range(len(words)):
            end = _phrase_at(words, start, core)
            if end == -1 and len(core) == 2 and start + 1 < len(words):
                swapped = word_matches(words[start], core[1]) and word_matches(
                    words[start + 1], core[0]
                )
                end = start + 2 if swapped else -1
            if end == -1 and _joined_at(words, start, core):
                end = start + 1
            if end == -1:
                continue
            generic = words[start] in FUNCTION_WORDS and singular(words[start]) != core[0]
            if len(core) == 1 and generic:
                continue
            found.append((end - start, len(core), start, column.name))
    for _, _, start, name in sorted(found, key=lambda f: (-f[1], f[0], f[2])):
        end = start + next(f[0] for f in found if f[2] == start and f[3] == name)
        if not _taken(resolution, start, end):
            resolution.mentions.append(Mention(name, start, end, False))


def _single_word_mentions(words: list[str], schema: Schema, resolution: Resolution) -> None:
    """One distinctive word of a multi-word column name (`flipper` -> flipper_length_mm)."""
    mentioned = {m.column for m in resolution.mentions}
    dataset = {singular(w) for w in split_identifier(schema.name)}
    for position, token in enumerate(words):
        if token in FUNCTION_WORDS or len(token) < 3 or _taken(resolution, position, position + 1):
            continue
        if singular(token) in dataset:
            continue
        several = [c for c in schema.columns if len(c.core_words) > 1]
        base = singular(expand(token))
        candidates = [c.name for c in several if base in c.core_words]  # exact words first
        if not candidates:
            candidates = [
                c.name for c in several if any(word_matches(token, w) for w in c.core_words)
            ]
        if len(candidates) == 1:
            resolution.mentions.append(Mention(candidates[0], position, position + 1, False))
        elif len(candidates) > 1 and not mentioned.intersection(candidates):
            resolution.ambiguous.append(Ambiguity(token, tuple(candidates)))


# ---------------------------------------------------------------- category values


def _value_mentions(words: list[str], schema: Schema, resolution: Resolution) -> None:
    for column in schema.columns:
        for value in column.values:
            value_words = tokens(normalise(value))
            if not value_words or value.lower() in WEAK_VALUES:
                continue
            for start in range(len(words) - len(value_words) + 1):
                if _value_at(words, start, value_words):
                    end = start + len(value_words)
                    mention = ValueMention(column.name, value, start, end)
                    if not _taken(resolution, start, end) and mention not in resolution.values:
                        resolution.values.append(mention)


def _value_at(words: list[str], start: int, value_words: list[str]) -> bool:
    for offset, value_word in enumerate(value_words):
        token = words[start + offset]
        if singular(token) == singular(value_word) or token == value_word:
            continue
        weekday = token.rstrip("s") in WEEKDAYS_AND_MONTHS or token in WEEKDAYS_AND_MONTHS
        if weekday and len(value_word) >= 3 and token.startswith(value_word):
            continue
        return False
    return True


def column_of(schema: Schema, name: str) -> Column:
    """The schema column called `name`."""
    return schema.by_name[name]
