"""Render report blocks to Markdown, charts as PNG files beside it (zipped)."""

from __future__ import annotations

import io
import zipfile
from typing import Any


def render_markdown(blocks: list[dict[str, Any]], figure_names: list[str]) -> str:
    """Markdown text; the n-th figure is `figure_names[n]` (a relative path)."""
    names = iter(figure_names)
    parts = [_block_markdown(block, names) for block in blocks]
    return "\n\n".join(p for p in parts if p) + "\n"


def _block_markdown(block: dict[str, Any], names: Any) -> str:
    kind = block.get("type")
    if kind == "heading":
        level = min(max(int(block.get("level", 2)), 1), 6)
        return "#" * level + " " + str(block.get("text", ""))
    if kind == "markdown":
        return str(block.get("text", "")).strip()
    if kind == "table":
        return markdown_table(block)
    if kind == "code":
        return f"```{block.get('language', '')}\n{block.get('code', '')}\n```"
    if kind == "figure":
        name = next(names)
        return f"![{block.get('caption') or 'Figure'}]({name})"
    return ""


def markdown_table(block: dict[str, Any]) -> str:
    """A pipe table, with a note when rows were left out."""
    columns = [_escape(c) for c in block.get("columns", [])]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in block.get("rows", []):
        lines.append("| " + " | ".join(_escape(v) for v in row) + " |")
    shown, total = len(block.get("rows", [])), block.get("total_rows", 0)
    if total > shown:
        lines.append(f"\n_Showing {shown} of {total} rows._")
    return "\n".join(lines)


def _escape(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_zip(blocks: list[dict[str, Any]], pngs: list[bytes]) -> bytes:
    """A zip with `report.md` and `figures/figure-N.png` it references."""
    names = [f"figures/figure-{n}.png" for n in range(1, len(pngs) + 1)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.md", render_markdown(blocks, names))
        for name, png in zip(names, pngs, strict=True):
            archive.writestr(name, png)
    return buffer.getvalue()
