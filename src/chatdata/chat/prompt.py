"""The system prompt and the context the model sees: schema, masked statistics, masked
sample rows, the sampling note, and the conversation so far trimmed to a token budget."""

from __future__ import annotations

import json
from typing import Any

from chatdata.chat.llm.base import DatasetContext

SYSTEM_PROMPT = """You are a senior data analyst working with the user on their dataset.
You write Python, run it with the `run_python` tool in a persistent Jupyter kernel, read the
results, and answer with the numbers you computed. Never invent numbers.

## The kernel
- `df`: a pandas DataFrame of the dataset ({df_note}).
- `lf`: a Polars LazyFrame over the FULL dataset; `con`: a DuckDB connection with a view `data`
  over the FULL dataset{extra_views}.
- Explore on `df`; compute final figures on the full data with `con.sql("...")` or `lf` when
  `df` is a sample. Import pandas as pd, numpy as np, polars as pl, plotly.express as px,
  matplotlib.pyplot as plt, scipy, statsmodels and sklearn as needed.
- Show results by leaving a DataFrame or a figure as the last expression of a cell, or with
  print(). Plotly figures and matplotlib charts are shown to the user automatically.
- The data files are read-only. Write any file to `/work/out/`. There is no network access.

## Rules
1. Keep each cell short and focused; fix your code when a cell fails (you see the traceback).
2. Never change the user's data silently. To propose cleaned or transformed data, write it to
   `/work/out/<name>.parquet` and call `propose_dataset_version` with that path, a title and a
   description of every change; the user decides whether to accept it.
3. Answer in the user's language, concisely, with the key numbers, and say when a figure comes
   from a sample. If the user asks for an answer format (e.g. `@name[value]`), use it exactly.
4. Suggest one or two useful follow-up analyses at the end when relevant.

## Dataset: {name}
Rows: {rows}
Columns (name, type, semantic type, statistics; PII values are masked):
{columns}

Sample rows (masked):
{sample}
"""

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "run_python",
            "description": "Run Python code in the conversation's kernel and return its output.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string", "description": "Python code to run"}},
                "required": ["code"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "propose_dataset_version",
            "description": "Propose a file written under /work/out as a new version of the "
            "dataset. The user must accept it before it is used.",
            "parameters": {
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": "e.g. /work/out/clean.parquet"},
                    "title": {"type": "string"},
                    "description": {"type": "string", "description": "Every change made"},
                },
                "required": ["path", "title", "description"],
            },
        },
    },
]


def render_system_prompt(dataset: DatasetContext) -> str:
    """The system message for this dataset."""
    extra = "".join(f", `{view}`" for view in dataset.extra_views)
    extra_views = f" (and views {extra.lstrip(', ')} over the extra datasets)" if extra else ""
    return SYSTEM_PROMPT.format(
        df_note=dataset.sample_note,
        extra_views=extra_views,
        name=dataset.name,
        rows=f"{dataset.row_count:,}",
        columns="\n".join(_column_line(c) for c in dataset.columns),
        sample=json.dumps(dataset.sample_rows, ensure_ascii=False, default=str)[:4000],
    )


def _column_line(column: dict[str, Any]) -> str:
    stats = column.get("statistics") or {}
    keep: tuple[str, ...] = ("null_count", "distinct_count", "min", "max", "mean", "std")
    if column.get("pii"):
        keep = ("null_count", "distinct_count")
    summary = {k: stats[k] for k in keep if stats.get(k) is not None}
    top = stats.get("top_values") or []
    if top and column.get("semantic_type") == "category":
        summary["top"] = [t.get("value") for t in top[:5]]
    pii = f", PII: {column['pii']['kind']}" if column.get("pii") else ""
    semantic = column.get("semantic_type") or "-"
    stats_text = json.dumps(summary, default=str)
    return f"- {column['name']} ({column.get('data_type')}, {semantic}{pii}): {stats_text}"


def estimate_tokens(text: str) -> int:
    """A cheap token estimate (about four characters a token)."""
    return len(text) // 4 + 1


def trim_history(history: list[dict[str, Any]], budget: int) -> list[dict[str, Any]]:
    """Keep the most recent messages that fit in `budget` tokens (oldest dropped first)."""
    kept: list[dict[str, Any]] = []
    used = 0
    for message in reversed(history):
        cost = estimate_tokens(json.dumps(message, default=str))
        if used + cost > budget and kept:
            break
        kept.append(message)
        used += cost
    return list(reversed(kept))
