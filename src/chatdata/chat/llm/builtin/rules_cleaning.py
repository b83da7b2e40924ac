"""Intent rules for data quality: missing values, duplicates, outliers, type conversion."""

from __future__ import annotations

from chatdata.chat.llm.builtin.conditions import number, number_near
from chatdata.chat.llm.builtin.context import Question
from chatdata.chat.llm.builtin.plan import Plan

REMOVE_WORDS = (
    "drop",
    "remove",
    "delete",
    "dropna",
    "exclude",
    "discard",
    "eliminate",
    "filter out",
)
FILL_WORDS = ("fill", "impute", "replace", "fillna", "imputation", "interpolate", "populate")
CAP_WORDS = ("cap", "clip", "winsorize", "winsorise", "winsorization", "capping", "clipping")
TYPE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("datetime", "date", "dates", "timestamp", "time"), "datetime"),
    (("integer", "integers", "int", "whole"), "int"),
    (("float", "floats", "numeric", "number", "numbers", "decimal", "double"), "float"),
    (("string", "strings", "text", "str"), "string"),
    (("category", "categorical", "categories"), "category"),
    (("boolean", "bool"), "bool"),
)


def missing_rule(q: Question) -> Plan | None:
    """Report, fill (by a stated strategy) or drop missing values."""
    w = q.words
    named = w.has("missing", "null", "nulls", "nan", "nans", "na", "blank", "blanks")
    empty = w.has("empty") and w.has("values", "cells")
    if not (named or w.starts("missing") or empty):
        return None
    columns = [c.name for c in q.mentioned()]
    if w.has(*FILL_WORDS) or w.starts("imput"):
        return Plan("missing_fill", columns=columns, options={"strategy": _fill_strategy(q)})
    if w.has(*REMOVE_WORDS):
        return Plan("missing_drop", columns=columns)
    return Plan("missing_report", columns=columns)


def _fill_strategy(q: Question) -> dict[str, object]:
    w = q.words
    for words, name in (
        (("median", "medians"), "median"),
        (("mean", "average", "means", "averages"), "mean"),
        (("mode", "most frequent", "most common"), "mode"),
        (("forward fill", "ffill", "forward", "previous"), "ffill"),
        (("backward fill", "bfill", "backward", "next"), "bfill"),
        (("interpolate", "interpolation", "interpolated"), "interpolate"),
        (("zero", "zeros", "zeroes"), "zero"),
    ):
        if w.has(*words):
            return {"name": name}
    index = w.index("with")
    if index >= 0 and index + 1 < len(w.tokens):
        value = number(w.tokens[index + 1])
        if value is not None:
            return {"name": "constant", "value": int(value) if value.is_integer() else value}
    return {"name": "auto"}


def duplicates_rule(q: Question) -> Plan | None:
    """Count duplicate rows (or values of named columns), or remove them."""
    w = q.words
    if not (w.starts("duplicat", "dedup", "dupe") or w.has("repeated rows", "identical rows")):
        return None
    columns = [c.name for c in q.mentioned()]
    whole_rows = w.has("row", "rows", "records", "entries") and not w.has(
        "based on", "subset", "considering", "same", "column", "columns", "values", "value"
    )
    if whole_rows:
        columns = []
    action = "remove" if w.has(*REMOVE_WORDS) or w.starts("dedup") else "report"
    return Plan("duplicates", columns=columns, options={"action": action})


def outliers_rule(q: Question) -> Plan | None:
    """Find outliers by IQR, z-score or Isolation Forest; remove or cap them on request."""
    w = q.words
    deviations = w.has("standard deviations from", "standard deviations away", "sigma from")
    if not (w.starts("outlier", "anomal", "extreme") or w.has("isolation forest") or deviations):
        return None
    method, threshold = "iqr", 1.5
    if w.has("isolation", "iforest"):
        method, threshold = "isolation_forest", 0.0
    elif w.has("z score", "zscore", "z", "standard deviations", "sigma", "std"):
        method = "zscore"
        keys = {"threshold", "standard", "sigma", "deviations", "above", "beyond", "over", "than"}
        threshold = number_near(w.tokens, keys) or 3.0
    elif w.has("iqr", "interquartile"):
        multiplier = _iqr_multiplier(q)
        threshold = multiplier if multiplier else 1.5
    action = "report"
    if w.has(*CAP_WORDS):
        action = "cap"
    elif w.has(*REMOVE_WORDS):
        action = "remove"
    columns = [c.name for c in q.numeric_subjects()]
    options = {"method": method, "threshold": threshold, "action": action}
    return Plan("outliers", columns=columns, options=options)


def _iqr_multiplier(q: Question) -> float | None:
    tokens = q.words.tokens
    for index, word in enumerate(tokens):
        if word == "iqr" and index:
            value = number(tokens[index - 1])
            if value is not None and value <= 10:
                return value
    return None


def convert_rule(q: Question) -> Plan | None:
    """Convert a column to another type (a proposal, never in place)."""
    w = q.words
    asked = w.has("convert", "cast", "astype", "change the type", "change type", "parse")
    if not asked and not w.has("to datetime", "as datetime", "to integer", "to numeric"):
        return None
    target = _target_type(q)
    columns = [c.name for c in q.mentioned()]
    if target is None or not columns:
        return Plan("convert", columns=columns, options={"to": target or "unknown"})
    return Plan("convert", columns=columns[:1], options={"to": target})


def _target_type(q: Question) -> str | None:
    tokens = q.words.tokens
    start = max(q.words.index("to"), q.words.index("into"), q.words.index("as"))
    tail = tokens[start + 1 :] if start >= 0 else tokens
    for words, name in TYPE_WORDS:
        if any(token in words for token in tail):
            return name
    return None
