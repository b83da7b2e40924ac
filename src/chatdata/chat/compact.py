"""Render a cell's typed outputs as compact text for the model (tables truncated, figures
summarised, everything capped)."""

from __future__ import annotations

import json
from typing import Any

MAX_CHARS = 8000
TABLE_ROWS = 20


def compact_outputs(status: str, outputs: list[dict[str, Any]]) -> str:
    """What the model reads back from `run_python`."""
    parts = [f"status: {status}"]
    for part in outputs:
        parts.append(_render(part))
    text = "\n".join(p for p in parts if p)
    if len(text) > MAX_CHARS:
        half = MAX_CHARS // 2
        text = f"{text[:half]}\n... [{len(text) - MAX_CHARS} characters cut] ...\n{text[-half:]}"
    return text


def _render(part: dict[str, Any]) -> str:
    kind = part.get("type")
    if kind in {"stream", "text", "notice"}:
        return str(part.get("text", ""))
    if kind == "error":
        trace = str(part.get("traceback", ""))
        return f"{part.get('ename')}: {part.get('evalue')}\n{trace[-2000:]}"
    if kind == "table":
        return _table(part)
    if kind == "image":
        return "[a chart image was shown to the user]"
    if kind == "plotly":
        layout = (part.get("figure") or {}).get("layout") or {}
        title = layout.get("title")
        title_text = title.get("text") if isinstance(title, dict) else title
        return f"[an interactive chart was shown to the user: {title_text or 'untitled'}]"
    if kind == "file":
        return f"[file written: /work/out/{part.get('name')} ({part.get('size')} bytes)]"
    return json.dumps(part, default=str)[:500]


def _table(part: dict[str, Any]) -> str:
    columns, rows = table_rows(part)
    rows = rows[:TABLE_ROWS]
    lines = [" | ".join(columns)] + [" | ".join(_cell(v) for v in row) for row in rows]
    total = part.get("total_rows", len(rows))
    return f"table ({total} rows; first {len(rows)} shown):\n" + "\n".join(lines)


def table_rows(part: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Column names and rows (as lists) of a `table` output part."""
    columns = [str(c.get("name") if isinstance(c, dict) else c) for c in part.get("columns", [])]
    rows = [
        [row.get(c) for c in columns] if isinstance(row, dict) else list(row)
        for row in part.get("rows", [])
    ]
    return columns, rows


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
