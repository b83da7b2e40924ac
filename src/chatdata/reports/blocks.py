"""Turn conversation messages into report content blocks.

Block shapes (all carry `type`):
- `heading`: `text`, `level` (1-3)
- `markdown`: `text`
- `table`: `columns` (names), `rows` (lists), `total_rows`, `truncated`
- `figure`: `kind` "plotly" with `figure` (Plotly JSON) or "image" with `data` (base64 PNG),
  optional `caption`
- `code`: `code`, `language`
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chatdata.chat.compact import table_rows
from chatdata.chat.llm.builtin.codegen.common import RESULT_MARKER

MAX_TABLE_ROWS = 200
_CODE_FENCE = re.compile(r"```.*?```", re.DOTALL)
_SENTENCE = re.compile(r"(.+?(?:[.!?](?=\s|$)|[\u3002\uff01\uff1f]))")


@dataclass(frozen=True)
class Section:
    """One analysis step: the question asked, the answer text and the cells that ran."""

    question: str
    answer: str
    cells: list[dict[str, Any]]


def heading(text: str, level: int = 2) -> dict[str, Any]:
    """A heading block."""
    return {"type": "heading", "text": text, "level": level}


def markdown(text: str) -> dict[str, Any]:
    """A Markdown paragraph block."""
    return {"type": "markdown", "text": text}


def section_blocks(section: Section, include_code: bool) -> list[dict[str, Any]]:
    """Heading, narrative, then each cell's code (when asked), tables and figures."""
    blocks = [heading(section.question)]
    if section.answer:
        blocks.append(markdown(section.answer))
    for cell in section.cells:
        if include_code and cell.get("code"):
            blocks.append({"type": "code", "code": str(cell["code"]), "language": "python"})
        blocks.extend(b for b in map(output_block, cell.get("outputs", [])) if b is not None)
    return blocks


def output_block(part: dict[str, Any]) -> dict[str, Any] | None:
    """The block for one sandbox output part, or None for parts a report leaves out."""
    kind = part.get("type")
    if kind == "table":
        columns, rows = table_rows(part)
        return {
            "type": "table",
            "columns": columns,
            "rows": rows[:MAX_TABLE_ROWS],
            "total_rows": int(part.get("total_rows") or len(rows)),
            "truncated": bool(part.get("truncated")) or len(rows) > MAX_TABLE_ROWS,
        }
    if kind == "plotly" and isinstance(part.get("figure"), dict):
        return {"type": "figure", "kind": "plotly", "figure": part["figure"]}
    if kind == "image" and part.get("data"):
        return {"type": "figure", "kind": "image", "data": str(part["data"])}
    if kind == "stream" and part.get("name") == "stdout":
        text = printed_text(str(part.get("text", "")))
        return {"type": "code", "code": text, "language": "text"} if text else None
    return None


def printed_text(text: str) -> str:
    """What a cell printed, without the built-in analyst's machine-readable result line."""
    lines = [line for line in text.splitlines() if not line.startswith(RESULT_MARKER)]
    return "\n".join(lines).strip()


def answer_text(content: str) -> str:
    """An assistant message's prose without its code fences (code goes in code blocks)."""
    return _CODE_FENCE.sub("", content).strip()


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence (or line) of a narrative, for the executive summary."""
    plain = " ".join(line.strip("#*-> ").strip() for line in text.splitlines() if line.strip())
    match = _SENTENCE.search(plain)
    sentence = match.group(1) if match else plain
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def summary_blocks(
    sections: list[Section], dataset_name: str, written: str | None = None
) -> list[dict[str, Any]]:
    """The executive summary: `written` (by an LLM) or one made from the sections' text."""
    if written:
        return [heading("Executive summary"), markdown(written)]
    counts = _output_counts(sections)
    intro = (
        f"This report gathers {len(sections)} analysis step(s) on the dataset "
        f"**{dataset_name}**, with {counts['table']} table(s) and {counts['figure']} chart(s)."
    )
    findings = [f"- **{s.question}**: {first_sentence(s.answer)}" for s in sections if s.answer]
    text = intro + ("\n\nKey findings:\n\n" + "\n".join(findings) if findings else "")
    return [heading("Executive summary"), markdown(text)]


def _output_counts(sections: list[Section]) -> dict[str, int]:
    counts = {"table": 0, "figure": 0}
    for section in sections:
        for cell in section.cells:
            for part in cell.get("outputs", []):
                block = output_block(part)
                if block is not None and block["type"] in counts:
                    counts[block["type"]] += 1
    return counts


def appendix_blocks(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The data appendix: dataset name, version hash, rows, columns, generation time."""
    rows = [[label, "" if value is None else str(value)] for label, value in facts.items()]
    return [
        heading("Data appendix"),
        {"type": "table", "columns": ["Item", "Value"], "rows": rows, "total_rows": len(rows)},
    ]
