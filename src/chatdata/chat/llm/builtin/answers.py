"""Turn a cell's `__RESULT__` into the final answer: sentences with the numbers, the
requested `@name[value]` tokens, and follow-up suggestions."""
# ruff: noqa: RUF001 - Chinese answers use full-width punctuation on purpose

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from chatdata.chat.llm.builtin import answers_analysis as analysis
from chatdata.chat.llm.builtin import answers_data as data
from chatdata.chat.llm.builtin.codegen.common import RESULT_MARKER
from chatdata.chat.llm.builtin.formats import format_answers

Writer = Callable[[dict[str, Any], bool], str]

WRITERS: dict[str, Writer] = {
    "overview": data.overview,
    "describe": data.describe,
    "aggregate": data.aggregate,
    "groupby": data.groupby,
    "filter": data.filter_rows,
    "unique": data.unique,
    "value_counts": data.value_counts,
    "percentage": data.percentage,
    "ratio": data.ratio,
    "chart": data.chart,
    "missing_report": analysis.missing_report,
    "missing_fill": analysis.missing_fill,
    "missing_drop": analysis.missing_drop,
    "duplicates": analysis.duplicates,
    "outliers": analysis.outliers,
    "convert": analysis.convert,
    "correlation": analysis.correlation,
    "ttest": analysis.ttest,
    "anova": analysis.anova,
    "chi_square": analysis.chi_square,
    "normality": analysis.normality,
    "linear_regression": analysis.linear_regression,
    "logistic_regression": analysis.logistic_regression,
    "clustering": analysis.clustering,
    "resample": analysis.resample,
    "trend": analysis.trend,
    "decompose": analysis.decompose,
    "forecast": analysis.forecast,
}
RESULT_LINE = re.compile(re.escape(RESULT_MARKER) + r"(\{.*\})\s*$", re.MULTILINE)


def parse_result(tool_output: str) -> dict[str, Any] | None:
    """The last `__RESULT__{...}` object in a cell's output text, or None."""
    matches = RESULT_LINE.findall(tool_output)
    for raw in reversed(matches):
        try:
            parsed = json.loads(raw)
        except ValueError:
            continue
        if isinstance(parsed, dict):
            return parsed
    return None


def cell_failed(tool_output: str) -> bool:
    """True when the tool output reports a failed or refused cell."""
    first = tool_output.strip().splitlines()[0] if tool_output.strip() else ""
    return not first.startswith("status: ok")


def error_summary(tool_output: str) -> str:
    """The error line of a failed cell (`KeyError: 'x'`), else its first line."""
    for line in reversed(tool_output.splitlines()):
        if re.match(r"^[A-Za-z_.]*(Error|Exception|Rejected|Warning)\b.*:", line.strip()):
            return line.strip()[:300]
    lines = [line for line in tool_output.splitlines() if line.strip()]
    return (lines[1] if len(lines) > 1 else lines[0] if lines else "unknown error")[:300]


def write_answer(result: dict[str, Any], question: str, zh: bool) -> str:
    """Sentences with the numbers, and the format tokens the question asked for."""
    writer = WRITERS.get(str(result.get("intent")))
    try:
        text = writer(result, zh) if writer else json.dumps(result.get("values"), default=str)
    except (KeyError, IndexError, TypeError, ValueError):
        text = _fallback(result, zh)
    tokens = format_answers(question, result.get("values") or {})
    if tokens:
        text += "\n\n" + " ".join(tokens)
    return text


def _fallback(result: dict[str, Any], zh: bool) -> str:
    values = ", ".join(f"{k} = {v}" for k, v in (result.get("values") or {}).items())
    return f"结果：{values}" if zh else f"Result: {values}"
