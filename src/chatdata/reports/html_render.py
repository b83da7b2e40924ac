"""Render report blocks to HTML: an interactive page (inline plotly.js) or a print page
(title page, table of contents, charts as PNG images) for the PDF."""

from __future__ import annotations

import base64
import json
from html import escape
from typing import Any

from markdown_it import MarkdownIt

from chatdata.reports.browser import plotly_js

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
STYLE = """
body { font-family: "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", sans-serif;
  color: #1f2328; line-height: 1.5; max-width: 960px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 2em; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; }
th { background: #f6f8fa; } pre { background: #f6f8fa; padding: .8em; overflow-x: auto; }
.figure { margin: 1em 0; } .figure img { max-width: 100%; }
.note { color: #57606a; font-size: .85em; }
@media print { body { max-width: none; margin: 0; }
  .title-page { page-break-after: always; text-align: center; padding-top: 35vh; }
  .toc { page-break-after: always; } h2, table, .figure { page-break-inside: avoid; } }
"""


def render_html(title: str, blocks: list[dict[str, Any]]) -> str:
    """A self-contained page; Plotly charts stay interactive (plotly.js is inlined)."""
    body = [_block_html(b, i, None) for i, b in enumerate(blocks)]
    script = f"<script>{plotly_js()}</script>" if _has_plotly(blocks) else ""
    return _page(title, script, "\n".join(body) + _PLOT_ALL)


def render_print_html(
    title: str, subtitle: str, blocks: list[dict[str, Any]], pngs: list[bytes]
) -> str:
    """The print page: title page, contents, then the blocks with charts as images."""
    images = iter(pngs)
    content = [b for b in blocks if not (b.get("type") == "heading" and b.get("level") == 1)]
    body = [_block_html(b, i, images) for i, b in enumerate(content)]
    front = (
        f'<section class="title-page"><h1>{escape(title)}</h1>'
        f'<p class="note">{escape(subtitle)}</p></section>' + _toc(content)
    )
    return _page(title, "", front + "\n".join(body))


def _page(title: str, head_extra: str, body: str) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style>{head_extra}</head>"
        f"<body>{body}</body></html>"
    )


def _toc(blocks: list[dict[str, Any]]) -> str:
    entries = [
        f'<li><a href="#h-{i}">{escape(str(b.get("text", "")))}</a></li>'
        for i, b in enumerate(blocks)
        if b.get("type") == "heading" and b.get("level", 2) == 2
    ]
    return f'<nav class="toc"><h2>Contents</h2><ol>{"".join(entries)}</ol></nav>'


def _block_html(block: dict[str, Any], index: int, images: Any) -> str:
    kind = block.get("type")
    if kind == "heading":
        level = min(max(int(block.get("level", 2)), 1), 4)
        return f'<h{level} id="h-{index}">{escape(str(block.get("text", "")))}</h{level}>'
    if kind == "markdown":
        return str(_MARKDOWN.render(str(block.get("text", ""))))
    if kind == "table":
        return table_html(block)
    if kind == "code":
        return f"<pre><code>{escape(str(block.get('code', '')))}</code></pre>"
    if kind == "figure":
        return _figure_html(block, index, images)
    return ""


def table_html(block: dict[str, Any]) -> str:
    """An HTML table with a note when rows were left out."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in block.get("columns", []))
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in block.get("rows", [])
    )
    shown, total = len(block.get("rows", [])), block.get("total_rows", 0)
    note = f'<p class="note">Showing {shown} of {total} rows.</p>' if total > shown else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}"


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _figure_html(block: dict[str, Any], index: int, images: Any) -> str:
    caption = block.get("caption")
    tail = f'<p class="note">{escape(str(caption))}</p>' if caption else ""
    if images is not None:
        data = base64.b64encode(next(images)).decode()
        return f'<div class="figure"><img src="data:image/png;base64,{data}">{tail}</div>'
    if block.get("kind") == "image":
        src = escape(f"data:image/png;base64,{block.get('data', '')}")
        return f'<div class="figure"><img src="{src}">{tail}</div>'
    figure = json.dumps(block.get("figure", {})).replace("</", "<\\/")
    return (
        f'<div class="figure"><div class="plotly-figure" id="fig-{index}"></div>'
        f'<script type="application/json" data-for="fig-{index}">{figure}</script>{tail}</div>'
    )


def _has_plotly(blocks: list[dict[str, Any]]) -> bool:
    return any(b.get("type") == "figure" and b.get("kind") == "plotly" for b in blocks)


_PLOT_ALL = """<script>
document.querySelectorAll('script[data-for]').forEach(function (tag) {
  var fig = JSON.parse(tag.textContent);
  if (window.Plotly) Plotly.newPlot(tag.getAttribute('data-for'), fig.data || [],
    fig.layout || {}, {responsive: true});
});
</script>"""
