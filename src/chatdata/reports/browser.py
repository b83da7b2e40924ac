"""Headless Chromium (through Playwright) for what only a browser does well: Plotly
figures to PNG with full fidelity, and printing the report page to PDF."""

from __future__ import annotations

import asyncio
import base64
import json
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

import plotly
from playwright.async_api import Browser, Page, async_playwright

from chatdata.errors import ServiceUnavailable

CHROMIUM = "/usr/bin/chromium"
MAX_BROWSERS = 2
RENDER_TIMEOUT_MS = 180_000
FIGURE_WIDTH, FIGURE_HEIGHT = 900, 500
_TO_IMAGE = """async ([fig, width, height]) => {
  const options = {format: 'png', width: width, height: height, scale: 1.5};
  return await Plotly.toImage({data: fig.data || [], layout: fig.layout || {}}, options);
}"""


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly Python package (no CDN needed)."""
    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return bundle.read_text(encoding="utf-8")


_render_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _render_slot() -> asyncio.Semaphore:
    """Browsers are heavy: at most `MAX_BROWSERS` run at once in this process."""
    loop = asyncio.get_running_loop()
    return _render_slots.setdefault(loop, asyncio.Semaphore(MAX_BROWSERS))


@asynccontextmanager
async def browser_page(executable: str = CHROMIUM) -> AsyncIterator[Page]:
    """A fresh page of a headless Chromium that is closed on exit."""
    if not Path(executable).exists():
        raise ServiceUnavailable("Rendering needs Chromium, which is not installed.")
    async with _render_slot(), async_playwright() as playwright:
        browser: Browser = await playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = await browser.new_page()
            page.set_default_timeout(RENDER_TIMEOUT_MS)
            yield page
        finally:
            await browser.close()


async def plotly_pngs(page: Page, figures: list[dict[str, Any]]) -> list[bytes]:
    """Each Plotly figure (JSON, binary-encoded arrays allowed) drawn to PNG bytes."""
    if not figures:
        return []
    await page.set_content("<!doctype html><html><body></body></html>")
    await page.add_script_tag(content=plotly_js())
    images = []
    for figure in figures:
        plain = json.loads(json.dumps(figure))
        url = await page.evaluate(_TO_IMAGE, [plain, FIGURE_WIDTH, FIGURE_HEIGHT])
        images.append(base64.b64decode(str(url).split(",", 1)[1]))
    return images


async def print_pdf(page: Page, html: str, footer_label: str) -> bytes:
    """Print a page to A4 PDF with "label — page N of M" in every footer."""
    await page.set_content(html, wait_until="load")
    footer = (
        '<div style="font-size:8px;width:100%;text-align:center;color:#666;'
        'font-family:sans-serif">'
        f"{footer_label} — page <span class='pageNumber'></span> of "
        "<span class='totalPages'></span></div>"
    )
    return await page.pdf(
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=footer,
        margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
        outline=True,
        tagged=True,
    )
