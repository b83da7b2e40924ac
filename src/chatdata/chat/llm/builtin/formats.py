"""Answer formats such as `@mean_fare[34.65]` (InfiAgent-DABench style): find the requested
names, match each to a computed value, and round as the question asks."""
# ruff: noqa: RUF001 - Chinese answers use full-width punctuation on purpose

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from chatdata.chat.llm.builtin.conditions import decimals
from chatdata.chat.llm.builtin.text import split_identifier

FORMAT_TOKEN = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)\[([^\]\n]*)\]")
QUOTED = re.compile(r"[\"“'‘]([^\"”'’]{1,40})[\"”'’]")
NEGATIONS = frozenset({"not", "no", "non", "false", "fail", "failed", "absent", "insignificant"})
CANONICAL: dict[str, str] = {
    "average": "mean", "avg": "mean", "mean": "mean", "pvalue": "p", "pval": "p", "p": "p",
    "correlation": "r", "corr": "r", "coefficient": "coef", "pearson": "r", "r": "r",
    "spearman": "r", "t": "t", "tstat": "t", "tstatistic": "t", "count": "count",
    "number": "count", "num": "count", "n": "count", "rows": "count", "total": "sum",
    "sum": "sum", "std": "std", "stdev": "std", "deviation": "std", "sd": "std",
    "median": "median", "max": "max", "maximum": "max", "highest": "max", "largest": "max",
    "min": "min", "minimum": "min", "lowest": "min", "smallest": "min", "rsquared": "r2",
    "r2": "r2", "accuracy": "accuracy", "acc": "accuracy", "outliers": "outliers",
    "outlier": "outliers", "anomalies": "outliers", "missing": "missing", "null": "missing",
    "nulls": "missing", "percentage": "percent", "percent": "percent", "proportion": "percent",
    "share": "percent", "unique": "unique", "distinct": "unique", "slope": "coef",
    "coef": "coef", "coefficients": "coef", "weight": "coef",
    "intercept": "intercept", "chi2": "chi2", "chi": "chi2", "chisquare": "chi2",
    "f": "f", "fstat": "f", "fstatistic": "f", "skew": "skewness", "skewness": "skewness",
    "kurtosis": "kurtosis", "variance": "var", "var": "var", "silhouette": "silhouette",
    "normality": "normal", "normal": "normal", "significant": "significant",
    "significance": "significant", "forecast": "forecast", "next": "next", "mode": "value",
    "common": "value", "frequent": "value", "top": "group", "best": "group",
    "rmse": "rmse", "dof": "dof", "freedom": "dof", "statistic": "statistic", "stat": "statistic",
    "feature": "column", "variable": "column", "col": "column", "month": "period",
    "week": "period", "day": "period", "year": "period", "date": "period", "quarter": "period",
    "earliest": "min", "first": "first", "latest": "max", "last": "last",
    "remaining": "after", "remain": "after", "left": "after", "kept": "after",
    "removed": "removed", "dropped": "removed", "deleted": "removed",
}  # fmt: skip
IGNORED = frozenset({"value", "values", "the", "of", "in", "and", "for"})


@dataclass(frozen=True)
class FormatRequest:
    """One `@name[placeholder]` the answer must contain."""

    name: str
    placeholder: str
    decimals: int
    options: tuple[str, ...]


def requested_formats(question: str) -> list[FormatRequest]:
    """The `@name[...]` tokens of the question, with their rounding and allowed words."""
    found: list[FormatRequest] = []
    default = decimals(question)
    for match in FORMAT_TOKEN.finditer(question):
        name, placeholder = match.group(1), match.group(2).strip()
        sentence = _describing_sentence(question, placeholder or name, match.end())
        places = decimals(sentence, default) if sentence else default
        options = tuple(QUOTED.findall(sentence)) if sentence else ()
        if name not in {f.name for f in found}:
            found.append(FormatRequest(name, placeholder, places, options))
    return found


CONSTRAINTS = re.compile(r"\n\s*(?:constraints|约束|要求)\s*[:：]", re.IGNORECASE)


def split_message(message: str) -> tuple[str, str]:
    """(question, constraints) of a message; the answer-format part is dropped."""
    body = strip_formats(message)
    match = CONSTRAINTS.search(body)
    if match is None:
        return body, ""
    return body[: match.start()].strip(), body[match.end() :].strip()


def strip_formats(question: str) -> str:
    """The question without its answer-format part (used for planning)."""
    lines = []
    for line in question.splitlines():
        lowered = line.strip().lower()
        if FORMAT_TOKEN.search(line) or lowered.startswith(("format:", "answer format")):
            break
        lines.append(line)
    return "\n".join(lines).strip() or question


def _describing_sentence(question: str, placeholder: str, after: int) -> str:
    """The sentence after the tokens that says what `placeholder` is."""
    tail = question[after:]
    found = re.search(r"(?<![A-Za-z0-9_])" + re.escape(placeholder) + r"(?![A-Za-z0-9_])", tail)
    if found is None:
        return ""
    sentence = tail[found.start() :]
    end = re.search(r"(?<!\d)\.(?!\d)|\n|@", sentence[len(placeholder) :])
    return sentence[: len(placeholder) + end.start()] if end else sentence


def _words(name: str) -> set[str]:
    words = {w for w in split_identifier(name) if w not in IGNORED}
    joined = name.lower().replace("_", "")
    if "rsquared" in joined or joined.endswith("r2"):
        words.add("rsquared")
    if "pvalue" in joined:
        words.add("p")
    return {CANONICAL.get(w, w) for w in words}


def match_value(name: str, values: dict[str, Any], position: int) -> Any:
    """The computed value that `name` asks for (best word overlap, then by position)."""
    if not values:
        return None
    wanted = _words(name)
    best_key, best_score = None, 0.0
    for key in values:
        have = _words(key)
        score = len(wanted & have) + (0.5 if have and have <= wanted else 0.0)
        if score > best_score:
            best_key, best_score = key, score
    if best_key is not None:
        return values[best_key]
    keys = list(values)
    return values[keys[min(position, len(keys) - 1)]]


def render_value(value: Any, request: FormatRequest) -> str:
    """`value` rounded as asked; booleans become the question's allowed words."""
    if isinstance(value, bool):
        return _boolean_word(value, request.options)
    number = _as_number(value)
    if number is None:
        return str(value)
    if math.isnan(number):
        return "nan"
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    if request.decimals == 0:
        return str(round(number))
    return f"{round(number, request.decimals):.{request.decimals}f}"


def _as_number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _boolean_word(value: bool, options: tuple[str, ...]) -> str:
    if len(options) >= 2:
        negative = [o for o in options if _negative(o)]
        positive = [o for o in options if o not in negative]
        if positive and negative:
            return positive[0] if value else negative[0]
    return "Yes" if value else "No"


def _negative(option: str) -> bool:
    """`not normal`, `no`, `insignificant`, `不显著` are the negative options."""
    words = option.lower().replace("-", " ").split()
    return bool(words) and (words[0] in NEGATIONS or "not" in words or option.startswith("不"))


def format_answers(question: str, values: dict[str, Any]) -> list[str]:
    """`@name[value]` for every requested format, in the question's order."""
    tokens = []
    for position, request in enumerate(requested_formats(question)):
        value = match_value(request.name, values, position)
        if value is not None:
            tokens.append(f"@{request.name}[{render_value(value, request)}]")
    return tokens
