"""PNG images of a report's figures, in block order."""

from __future__ import annotations

import base64
from typing import Any

from playwright.async_api import Page

from chatdata.reports.browser import plotly_pngs


def figure_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The figure blocks of a report, in order."""
    return [b for b in blocks if b.get("type") == "figure"]


async def figure_pngs(page: Page, blocks: list[dict[str, Any]]) -> list[bytes]:
    """One PNG per figure block: Plotly figures drawn by the browser, images as stored."""
    figures = figure_blocks(blocks)
    plotly_figures = [f.get("figure") or {} for f in figures if f.get("kind") == "plotly"]
    drawn = iter(await plotly_pngs(page, plotly_figures))
    return [
        next(drawn) if f.get("kind") == "plotly" else base64.b64decode(str(f.get("data", "")))
        for f in figures
    ]
